using System.Text.Json;
using System.Text.RegularExpressions;
using SessionGate.Crypto;
using SessionGate.Protocol;

namespace SessionGate.Proxy.Tests.Commands;

public sealed partial class KeyAndSignCommandTests
{
    private const string ZeroSeed = "0x0000000000000000000000000000000000000000000000000000000000000000";

    // Public key of the all-zero mini secret, as @polkadot/wasm-crypto derives it.
    private const string ZeroSeedPublicKey = "0xdef12e42f3e487e9b14095aa8d5cc16a33491f1b50dadcf8811d1480f3fa8627";

    [Fact]
    public async Task KeyNew_WithSeed_PrintsSeedAndReferencePublicKey()
    {
        CliResult result = await CliRunner.RunAsync("key", "new", "--seed", ZeroSeed[2..]);

        Assert.Equal(0, result.ExitCode);
        using JsonDocument json = JsonDocument.Parse(result.Output);
        Assert.Equal(ZeroSeed, json.RootElement.GetProperty("seed").GetString());
        Assert.Equal(ZeroSeedPublicKey, json.RootElement.GetProperty("public_key").GetString());
        Assert.Equal(2, json.RootElement.EnumerateObject().Count());
    }

    [Fact]
    public async Task KeyNew_WithoutSeed_PrintsFreshConsistentKey()
    {
        CliResult first = await CliRunner.RunAsync("key", "new");
        CliResult second = await CliRunner.RunAsync("key", "new");

        using JsonDocument a = JsonDocument.Parse(first.Output);
        using JsonDocument b = JsonDocument.Parse(second.Output);
        string seed = a.RootElement.GetProperty("seed").GetString()!;
        Assert.Matches(Hex32(), seed);
        Assert.NotEqual(seed, b.RootElement.GetProperty("seed").GetString());

        using Sr25519KeyPair pair = Sr25519KeyPair.FromMiniSecret(Convert.FromHexString(seed[2..]));
        Assert.Equal(HexCodec.Encode(pair.PublicKey), a.RootElement.GetProperty("public_key").GetString());
    }

    [Fact]
    public async Task Sign_ThenVerify_RoundTripsThroughTheCli()
    {
        CliResult signed = await CliRunner.RunAsync("sign", "--seed", ZeroSeed, "--message-hex", "0x68656c6c6f", "--context", "my-app");

        Assert.Equal(0, signed.ExitCode);
        string signature = signed.Output.Trim();
        Assert.Matches(Signature(), signature);

        CliResult verified = await CliRunner.RunAsync("verify", "--public-key", ZeroSeedPublicKey, "--message-hex", "68656C6C6F", "--signature", signature, "--context", "my-app");
        Assert.Equal(0, verified.ExitCode);
        Assert.Equal("valid", verified.Output.Trim());

        CliResult wrongContext = await CliRunner.RunAsync("verify", "--public-key", ZeroSeedPublicKey, "--message-hex", "68656c6c6f", "--signature", signature);
        Assert.Equal(1, wrongContext.ExitCode);
        Assert.Equal("invalid", wrongContext.Output.Trim());
    }

    [Fact]
    public async Task Sign_EmptyMessage_IsAllowed()
    {
        CliResult signed = await CliRunner.RunAsync("sign", "--seed", ZeroSeed, "--message-hex", "");
        Assert.Equal(0, signed.ExitCode);
        Assert.True(Sr25519.Verify(Convert.FromHexString(ZeroSeedPublicKey[2..]), [], Convert.FromHexString(signed.Output.Trim()[2..])));
    }

    public static TheoryData<string[]> BadUsage => new()
    {
        Array.Empty<string>(),
        new[] { "frobnicate" },
        new[] { "key" },
        new[] { "key", "old" },
        new[] { "key", "new", "--seed", "00" },
        new[] { "key", "new", "--seed", "zz" + new string('0', 62) },
        new[] { "key", "new", "--bogus", "1" },
        new[] { "sign", "--message-hex", "00" },
        new[] { "sign", "--seed", ZeroSeed },
        new[] { "sign", "--seed", ZeroSeed, "--message-hex", "abc" },
        new[] { "sign", "--seed", ZeroSeed, "--message-hex", "00", "--seed", ZeroSeed },
        new[] { "sign", "--seed", ZeroSeed, "--message-hex" },
        new[] { "sign", "stray", "--seed", ZeroSeed, "--message-hex", "00" },
        new[] { "verify", "--public-key", ZeroSeedPublicKey, "--message-hex", "00" },
        new[] { "verify", "--public-key", "xyz", "--message-hex", "00", "--signature", "00" },
        new[] { "verify", "--batch", "/nonexistent/file.jsonl" },
    };

    [Theory]
    [MemberData(nameof(BadUsage))]
    public async Task AnyCommand_BadUsage_ExitsTwoWithOneLineOnStderr(string[] args)
    {
        CliResult result = await CliRunner.RunAsync(args);

        Assert.Equal(2, result.ExitCode);
        Assert.Equal("", result.Output);
        if (args.Length > 0)
        {
            Assert.Single(result.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        }
    }

    [GeneratedRegex("^0x[0-9a-f]{64}$")]
    private static partial Regex Hex32();

    [GeneratedRegex("^0x[0-9a-f]{128}$")]
    private static partial Regex Signature();
}
