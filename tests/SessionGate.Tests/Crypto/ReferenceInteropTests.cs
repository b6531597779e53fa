using System.Diagnostics;
using System.Text.Json;
using SessionGate.Crypto;

namespace SessionGate.Tests.Crypto;

/// <summary>
/// The other direction: signatures made by our C# signer, verified by the reference implementation
/// (tools/sr25519-vectors/verify-with-reference.mjs, run with Node.js; test.sh installs its packages).
/// </summary>
public sealed class ReferenceInteropTests
{
    [Theory]
    [InlineData("")]
    [InlineData("--scure")]
    public async Task ReferenceVerify_SignaturesMadeHere_AgreeWithOurVerdicts(string implementation)
    {
        var random = new Random(20261121);
        var lines = new List<string>();
        var expected = new List<string>();
        for (int i = 0; i < 48; i++)
        {
            byte[] seed = new byte[32];
            random.NextBytes(seed);
            byte[] message = new byte[random.Next(0, 300)];
            random.NextBytes(message);
            using Sr25519KeyPair pair = Sr25519KeyPair.FromMiniSecret(seed);
            byte[] signature = pair.Sign(message);

            // Every fourth signature is tampered with; both sides must then say "invalid".
            if (i % 4 == 3)
            {
                signature[random.Next(0, 64)] ^= (byte)(1 << random.Next(0, 8));
            }

            string verdict = Sr25519.Verify(pair.PublicKey, message, signature) ? "valid" : "invalid";
            expected.Add(verdict);
            lines.Add(JsonSerializer.Serialize(new Dictionary<string, string>
            {
                ["public_key"] = Hex.Encode(pair.PublicKey),
                ["message"] = Hex.Encode(message),
                ["signature"] = Hex.Encode(signature),
                ["context"] = "substrate",
            }));
        }

        Assert.Contains("valid", expected);
        Assert.Contains("invalid", expected);

        string file = Path.Combine(Path.GetTempPath(), $"sessiongate-interop-{Guid.NewGuid():N}.jsonl");
        await File.WriteAllLinesAsync(file, lines);
        try
        {
            (int exitCode, string output, string error) = await RunReferenceAsync(implementation, file);
            Assert.True(exitCode is 0 or 1, $"reference script failed ({exitCode}): {error}");
            Assert.Equal(expected, output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        }
        finally
        {
            File.Delete(file);
        }
    }

    private static async Task<(int ExitCode, string Output, string Error)> RunReferenceAsync(string implementation, string file)
    {
        string tools = Path.Combine(VectorFiles.RepositoryRoot(), "tools", "sr25519-vectors");
        Assert.True(
            Directory.Exists(Path.Combine(tools, "node_modules", "@polkadot", "wasm-crypto")),
            "The reference packages are not installed: run `npm ci` in tools/sr25519-vectors (./test.sh does this).");

        var start = new ProcessStartInfo("node") { WorkingDirectory = tools, RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add("verify-with-reference.mjs");
        if (implementation.Length > 0)
        {
            start.ArgumentList.Add(implementation);
        }

        start.ArgumentList.Add(file);
        using Process process = Process.Start(start)!;
        Task<string> output = process.StandardOutput.ReadToEndAsync();
        Task<string> error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await output, await error);
    }
}
