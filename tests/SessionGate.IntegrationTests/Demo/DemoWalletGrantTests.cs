using System.Text.Json;
using SessionGate.IntegrationTests.Proxy;

namespace SessionGate.IntegrationTests.Demo;

/// <summary>
/// The wallet lines <c>sessiongate demo</c> prints, as real processes: <c>wallet new</c>, <c>key new</c>,
/// <c>grant</c> (ADR-036 signed as Keplr signs, posted to the demo's <c>/grants</c>), a signed
/// <c>request</c> with the granted key, then <c>grant revoke</c> and the next request refused.
/// </summary>
[Collection(GatewayProcessCollection.Name)]
public sealed class DemoWalletGrantTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task Demo_GrantCommand_KeyWorksUntilRevoked()
    {
        await using ChildProcess demo = ChildProcess.StartSessionGate(["demo"]);
        await demo.WaitForLineAsync(l => l.Contains("Press Ctrl+C", StringComparison.Ordinal), Deadline, "the demo prints its instructions");
        string origin = Printed(demo, "gateway ").Split(' ', StringSplitOptions.RemoveEmptyEntries)[1];
        Assert.Contains($" grant --wallet-key PRIVATE_KEY --seed SEED --url {origin}", demo.Output, StringComparison.Ordinal);

        using JsonDocument wallet = JsonDocument.Parse((await RunAsync(0, "wallet", "new")).Output);
        using JsonDocument key = JsonDocument.Parse((await RunAsync(0, "key", "new")).Output);
        string address = wallet.RootElement.GetProperty("address").GetString()!;
        string seed = key.RootElement.GetProperty("seed").GetString()!;
        string walletKeyFile = Path.GetTempFileName();
        string seedFile = Path.GetTempFileName();
        await File.WriteAllTextAsync(walletKeyFile, wallet.RootElement.GetProperty("private_key").GetString() + "\n");
        await File.WriteAllTextAsync(seedFile, seed);
        try
        {
            // Secrets from files: nothing secret on the grant's command line.
            (_, string granted) = await RunAsync(0, "grant", "--wallet-key-file", walletKeyFile, "--seed-file", seedFile, "--url", origin, "--expires", "2h");
            using JsonDocument record = JsonDocument.Parse(granted);
            Assert.Equal(address, record.RootElement.GetProperty("account").GetString());
            Assert.Equal(key.RootElement.GetProperty("public_key").GetString(), record.RootElement.GetProperty("public_key").GetString());
            Assert.Equal("active", record.RootElement.GetProperty("state").GetString());

            (_, string answer) = await RunAsync(0, "request", "--seed", seed, "--account", address, origin + "/api/hello");
            Assert.StartsWith("HTTP/1.1 200 OK", answer, StringComparison.Ordinal);
            Assert.Contains($"\"account\": \"{address}\"", answer, StringComparison.Ordinal);

            (_, string revoked) = await RunAsync(0, "grant", "revoke", "--wallet-key-file", walletKeyFile, "--seed-file", seedFile, "--url", origin);
            Assert.Equal("disabled", JsonDocument.Parse(revoked).RootElement.GetProperty("state").GetString());

            (_, string refused) = await RunAsync(1, "request", "--seed", seed, "--account", address, origin + "/api/hello");
            Assert.StartsWith("HTTP/1.1 401", refused, StringComparison.Ordinal);
            Assert.Contains("key_disabled", refused, StringComparison.Ordinal);

            // The same grant command again: the key stays disabled (exit 1, 409 key_disabled).
            (_, string again) = await RunAsync(1, "grant", "--wallet-key-file", walletKeyFile, "--seed-file", seedFile, "--url", origin);
            Assert.Contains("key_disabled", again, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(walletKeyFile);
            File.Delete(seedFile);
        }
    }

    private static async Task<(int ExitCode, string Output)> RunAsync(int expectedExitCode, params string[] args)
    {
        await using ChildProcess process = ChildProcess.StartSessionGate(args);
        int exitCode = await process.WaitForExitAsync(Deadline);
        string output = string.Join('\n', process.Output.Split('\n').Where(l => !l.StartsWith('!')));
        Assert.True(exitCode == expectedExitCode, $"sessiongate {string.Join(' ', args)}: exit {exitCode}, expected {expectedExitCode}\n{process.Output}");
        return (exitCode, output);
    }

    private static string Printed(ChildProcess demo, string marker) =>
        demo.Output.Split('\n').FirstOrDefault(l => l.Contains(marker, StringComparison.Ordinal))?.Trim()
        ?? throw new Xunit.Sdk.XunitException($"The demo printed no line with '{marker}':\n{demo.Output}");
}
