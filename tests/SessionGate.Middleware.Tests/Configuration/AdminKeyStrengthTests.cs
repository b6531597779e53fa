using SessionGate.AspNetCore.Configuration;

namespace SessionGate.Middleware.Tests.Configuration;

public sealed class AdminKeyStrengthTests
{
    [Theory]
    [InlineData("0123456789abcdef")]
    [InlineData("correct-horse-battery-staple")]
    [InlineData("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa")]
    [InlineData("abcabcabcabcabcabcabcabcabcabcabcabcabcabcabcabcabcabcabcabcabcabc")]
    [InlineData("admin-admin-admin-admin-admin-admin-admin-admin")]
    [InlineData("0123456789abcdef0123456789abcdef")]                                   // 16 bytes of hex
    public void EstimateBits_WeakKeys_Below256(string key) =>
        Assert.True(AdminKeyStrength.EstimateBits(key) < AdminOptions.MinimumApiKeyBits, $"{AdminKeyStrength.EstimateBits(key):F0} bits");

    [Fact]
    public void EstimateBits_RandomKeysAsOpensslPrintsThem_AtLeast256()
    {
        for (int i = 0; i < 200; i++)
        {
            byte[] bytes = System.Security.Cryptography.RandomNumberGenerator.GetBytes(32);
            string hex = Convert.ToHexStringLower(bytes);
            string base64 = Convert.ToBase64String(bytes);
            Assert.True(AdminKeyStrength.EstimateBits(hex) >= AdminOptions.MinimumApiKeyBits, hex);
            Assert.True(AdminKeyStrength.EstimateBits(base64) >= AdminOptions.MinimumApiKeyBits, base64);
        }
    }
}
