using SessionGate.Balances;

namespace SessionGate.Tests.Balances;

public sealed class TokenAmountTests
{
    public static TheoryData<string, int, decimal> Amounts => new()
    {
        { "0", 6, 0m },
        { "000", 6, 0m },
        { "1", 6, 0.000001m },
        { "1000000", 6, 1m },
        { "100000000", 6, 100m },
        { "123456789", 6, 123.456789m },
        { "0001000000", 6, 1m },
        { "999999", 6, 0.999999m },
        { "42", 0, 42m },
        { "1000000000000000000", 18, 1m },
        { "1", 18, 0.000000000000000001m },
        // 28 whole-token digits: exact.
        { "9999999999999999999999999999" + "000000", 6, 9999999999999999999999999999m },
    };

    [Theory]
    [MemberData(nameof(Amounts))]
    public void TryParse_DigitString_DividesByTenToTheDecimals(string amount, int decimals, decimal expected)
    {
        Assert.True(TokenAmount.TryParse(amount, decimals, out decimal tokens));
        Assert.Equal(expected, tokens);
    }

    [Theory]
    [InlineData("10000000000000000000000000000000000")] // 35 digits: 10^28 tokens at 6 decimals
    [InlineData("115792089237316195423570985008687907853269984665640564039457584007913129639935")] // 2^256 - 1
    [InlineData("99999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999")]
    public void TryParse_MoreThan28WholeTokenDigits_ClampsToMaxValue(string amount)
    {
        Assert.True(TokenAmount.TryParse(amount, 6, out decimal tokens));
        Assert.Equal(decimal.MaxValue, tokens);
    }

    [Fact]
    public void TryParse_28DigitsWithFraction_DoesNotThrow()
    {
        Assert.True(TokenAmount.TryParse("9999999999999999999999999999" + "999999", 6, out decimal tokens));
        Assert.True(tokens >= 9999999999999999999999999999m);
    }

    [Theory]
    [InlineData("")]
    [InlineData("-1")]
    [InlineData("+1")]
    [InlineData("1.5")]
    [InlineData(" 1")]
    [InlineData("1 ")]
    [InlineData("1e6")]
    [InlineData("0x10")]
    [InlineData("abc")]
    [InlineData("１２")] // full-width digits are not ASCII digits
    public void TryParse_NotAnUnsignedInteger_ReturnsFalse(string amount)
    {
        Assert.False(TokenAmount.TryParse(amount, 6, out _));
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(19)]
    public void TryParse_DecimalsOutOfRange_Throws(int decimals)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => TokenAmount.TryParse("1", decimals, out _));
    }
}
