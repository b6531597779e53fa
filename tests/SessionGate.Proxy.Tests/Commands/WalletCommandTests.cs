using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using SessionGate.Grants;
using SessionGate.Protocol;

namespace SessionGate.Proxy.Tests.Commands;

public sealed class WalletCommandTests
{
    // The vector "grant_plain" of tools/adr036-vectors (signed there by @cosmjs/crypto over
    // @keplr-wallet/cosmos's sign doc): wallet key = SHA-256("sessiongate adr036 vector key alice").
    private const string VectorMessage = "app.example.org wants you to grant a session key to your account:\nkira1w8tf6d86a5np7p5v0ngcasqn0gnzxayv68vhvw\n\nSession Key: 0xdef12e42f3e487e9b14095aa8d5cc16a33491f1b50dadcf8811d1480f3fa8627\nUse Case: frontend_session_key\nChain ID: localnet-1\nNonce: 8fKq2LmZ0aB7\nIssued At: 2026-12-02T18:00:00Z\nExpiration Time: 2026-12-09T18:00:00.5Z";
    private const string VectorAccount = "kira1w8tf6d86a5np7p5v0ngcasqn0gnzxayv68vhvw";
    private const string VectorPublicKey = "Aja89vGuRW3B/ZCudrTp3Dyb5kYs01DzUz1VVWCPKtz+";
    private const string VectorSignature = "bhMmgY5tu0pfgsQf05XqL6/zViZuyQOeOHVhv5zCC5F+BT2thUgzpaLEcKb6yg5vbEK6JPvRN4O/Nxc4KkjqoQ==";

    private static byte[] VectorKey => SHA256.HashData(Encoding.UTF8.GetBytes("sessiongate adr036 vector key alice"));

    [Fact]
    public void SignArbitrary_KeplrVector_ReproducesTheJavaScriptWalletsSignature()
    {
        Assert.True(Adr036Signer.TryCreate(VectorKey, out Adr036Signer? signer));
        using (signer)
        {
            byte[] signature = signer.SignArbitrary(VectorAccount, VectorMessage);

            Assert.Equal(VectorPublicKey, Convert.ToBase64String(signer.PublicKey));
            Assert.Equal(VectorAccount, signer.AccountAddress("kira"));
            Assert.Equal(VectorSignature, Convert.ToBase64String(signature));
            Assert.True(CosmosSecp256k1.Verify(signer.PublicKey, Adr036SignDoc.Create(Encoding.UTF8.GetBytes(VectorMessage), VectorAccount), signature));
        }
    }

    [Fact]
    public void SignArbitrary_ManyMessages_AlwaysLowSAndVerifying()
    {
        using Adr036Signer signer = Adr036Signer.Generate(new byte[32]);
        string account = signer.AccountAddress("kira");
        var halfOrder = System.Numerics.BigInteger.Parse("07FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF5D576E7357A4501DDFE92F46681B20A0", System.Globalization.NumberStyles.HexNumber);
        for (int i = 0; i < 64; i++)
        {
            string message = "message " + i;
            byte[] signature = signer.SignArbitrary(account, message);
            var s = new System.Numerics.BigInteger(signature.AsSpan(32), isUnsigned: true, isBigEndian: true);
            Assert.True(s <= halfOrder, $"high S for message {i}");
            Assert.True(CosmosSecp256k1.Verify(signer.PublicKey, Adr036SignDoc.Create(Encoding.UTF8.GetBytes(message), account), signature));
        }
    }

    public static TheoryData<string> InvalidPrivateKeys => new()
    {
        new string('0', 64),
        "FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEBAAEDCE6AF48A03BBFD25E8CD0364141", // the group order n
        "FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF",
        "01",
        new string('1', 66),
    };

    [Theory]
    [MemberData(nameof(InvalidPrivateKeys))]
    public void TryCreate_NotAScalarInRange_ReturnsFalse(string hex)
    {
        Assert.False(Adr036Signer.TryCreate(Convert.FromHexString(hex), out Adr036Signer? signer));
        Assert.Null(signer);
    }

    [Fact]
    public async Task WalletNew_PrintsPrivateKeyPublicKeyAndAddressThatBelongTogether()
    {
        CliResult result = await CliRunner.RunAsync("wallet", "new");

        Assert.True(result.ExitCode == 0, result.Error);
        using JsonDocument json = JsonDocument.Parse(result.Output);
        string privateKey = json.RootElement.GetProperty("private_key").GetString()!;
        string address = json.RootElement.GetProperty("address").GetString()!;
        Assert.Matches("^0x[0-9a-f]{64}$", privateKey);
        Assert.Matches("^0x0[23][0-9a-f]{64}$", json.RootElement.GetProperty("public_key").GetString()!);
        Assert.StartsWith("kira1", address, StringComparison.Ordinal);
        Assert.True(Adr036Signer.TryCreate(Convert.FromHexString(privateKey[2..]), out Adr036Signer? signer));
        using (signer)
        {
            Assert.Equal(address, signer.AccountAddress("kira"));
        }

        CliResult second = await CliRunner.RunAsync("wallet", "new");
        Assert.NotEqual(privateKey, JsonDocument.Parse(second.Output).RootElement.GetProperty("private_key").GetString());
    }

    [Fact]
    public async Task WalletNew_GivenKeyAndPrefix_DerivesTheVectorAddress()
    {
        CliResult kira = await CliRunner.RunAsync("wallet", "new", "--wallet-key", HexCodec.Encode(VectorKey));
        CliResult cosmos = await CliRunner.RunAsync("wallet", "new", "--wallet-key", HexCodec.Encode(VectorKey), "--prefix", "cosmos");

        Assert.Equal(VectorAccount, JsonDocument.Parse(kira.Output).RootElement.GetProperty("address").GetString());
        Assert.Equal(AccountAddress.Encode("cosmos", CosmosSecp256k1.AccountPayload(Convert.FromBase64String(VectorPublicKey))), JsonDocument.Parse(cosmos.Output).RootElement.GetProperty("address").GetString());
    }

    [Theory]
    [InlineData("wallet")]
    [InlineData("wallet", "old")]
    [InlineData("wallet", "new", "--wallet-key", "0x00")]
    [InlineData("wallet", "new", "--wallet-key", "0000000000000000000000000000000000000000000000000000000000000000")]
    [InlineData("wallet", "new", "--prefix", "KIRA")]
    [InlineData("wallet", "new", "--seed", "00")]
    public async Task WalletNew_BadUsage_ExitsTwoWithOneLine(params string[] args)
    {
        CliResult result = await CliRunner.RunAsync(args);

        Assert.Equal(2, result.ExitCode);
        Assert.Equal("", result.Output);
        Assert.Single(result.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }
}
