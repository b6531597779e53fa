using SessionGate.Chain;

namespace SessionGate.Tests.Chain;

public sealed class Rfc3339TimestampTests
{
    private static readonly DateTimeOffset Second = new(2024, 5, 1, 12, 34, 56, TimeSpan.Zero);

    public static TheoryData<string, DateTimeOffset> Valid => new()
    {
        { "2024-05-01T12:34:56.123456789Z", Second.AddTicks(1234567) },
        { "2024-05-01T12:34:56.1234567Z", Second.AddTicks(1234567) },
        { "2024-05-01T12:34:56.5Z", Second.AddTicks(5_000_000) },
        { "2024-05-01T12:34:56Z", Second },
        { "2024-05-01t12:34:56z", Second },
        { "2024-05-01T14:34:56.000000001+02:00", Second },
        { "2024-05-01T07:34:56.999999999-05:00", Second.AddTicks(9_999_999) },
        { "2024-05-01T12:34:56.123456789123Z", Second.AddTicks(1234567) },
    };

    [Theory]
    [MemberData(nameof(Valid))]
    public void TryParse_Rfc3339_TruncatesFractionToTicks(string text, DateTimeOffset expected)
    {
        Assert.True(Rfc3339Timestamp.TryParse(text, out DateTimeOffset value));
        Assert.Equal(expected, value);
        Assert.Equal(expected.UtcTicks, value.UtcTicks);
    }

    [Theory]
    [InlineData("")]
    [InlineData("2024-05-01")]
    [InlineData("2024-05-01T12:34:56")]
    [InlineData("2024-05-01T12:34:56.Z")]
    [InlineData("2024-05-01T12:34:56.123")]
    [InlineData("2024-05-01 12:34:56Z")]
    [InlineData("2024-13-01T12:34:56Z")]
    [InlineData("2024-05-01T12:34:56+0200")]
    [InlineData("2024-05-01T12:34:56.12a4Z")]
    [InlineData("yesterday, around noon")]
    public void TryParse_NotRfc3339_ReturnsFalse(string text)
    {
        Assert.False(Rfc3339Timestamp.TryParse(text, out _));
    }
}
