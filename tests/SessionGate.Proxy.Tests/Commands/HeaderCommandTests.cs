using SessionGate.Protocol;

namespace SessionGate.Proxy.Tests.Commands;

public sealed class HeaderCommandTests
{
    private const string Seed = "0x0101010101010101010101010101010101010101010101010101010101010101";
    private const string BlockHash = "A1B2C3D4E5F60718293A4B5C6D7E8F90A1B2C3D4E5F60718293A4B5C6D7E8F90";
    private static readonly string Account = AccountAddress.Encode("kira", new byte[20]);

    [Fact]
    public async Task Header_ValidArguments_PrintsAHeaderThatVerifies()
    {
        CliResult result = await CliRunner.RunAsync("header", "--seed", Seed, "--account", Account, "--block-hash", BlockHash, "--nonce", "12");

        Assert.Equal(0, result.ExitCode);
        Assert.True(KiraSessionHeader.TryParse(result.Output.Trim(), "kira", out KiraSessionHeader? header, out string? error), error);
        Assert.Equal(12UL, header!.Nonce);
        Assert.Equal(BlockHash, header.BlockHashText);
        Assert.True(header.VerifySignature("substrate"u8));
    }

    [Theory]
    [InlineData("--account", "kira1xyz")]
    [InlineData("--block-hash", "1234")]
    [InlineData("--nonce", "-1")]
    [InlineData("--nonce", "18446744073709551616")]
    [InlineData("--seed", "00")]
    public async Task Header_BadArgument_ExitsTwo(string option, string value)
    {
        var args = new Dictionary<string, string> { ["--seed"] = Seed, ["--account"] = Account, ["--block-hash"] = BlockHash, [option] = value };
        CliResult result = await CliRunner.RunAsync(["header", .. args.SelectMany(kv => new[] { kv.Key, kv.Value })]);

        Assert.Equal(2, result.ExitCode);
        Assert.Single(result.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }
}
