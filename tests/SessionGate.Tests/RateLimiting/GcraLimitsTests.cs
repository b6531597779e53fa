using SessionGate.RateLimiting;
using SessionGate.RateLimiting.Quotas;

namespace SessionGate.Tests.RateLimiting;

public sealed class GcraLimitsTests
{
    [Theory]
    [InlineData(60, 5, 1_000_000, 5_000_000)]
    [InlineData(600, 100, 100_000, 10_000_000)]
    [InlineData(6000, 1000, 10_000, 10_000_000)]
    [InlineData(7, 3, 8_571_429, 25_714_287)]
    [InlineData(60_000_000, 1, 1, 1)]
    public void From_Policy_IntervalRoundedUpAndCapacityIsBurstIntervals(int permitsPerMinute, int burst, long interval, long capacity)
    {
        GcraLimits limits = GcraLimits.From(new QuotaPolicy("t", permitsPerMinute, burst));

        Assert.Equal(interval, limits.EmissionInterval);
        Assert.Equal(capacity, limits.Capacity);
        Assert.Equal(0, limits.DailyQuota);
    }

    [Fact]
    public void From_Divisor_DividesEveryLimitRoundingDownToAtLeastOne()
    {
        GcraLimits limits = GcraLimits.From(new QuotaPolicy("t", 600, 100, 1000), divisor: 3);

        Assert.Equal(GcraLimits.MicrosecondsPerMinute / 200, limits.EmissionInterval);
        Assert.Equal(33 * limits.EmissionInterval, limits.Capacity);
        Assert.Equal(333, limits.DailyQuota);

        GcraLimits tiny = GcraLimits.From(new QuotaPolicy("t", 2, 1, 2), divisor: 5);
        Assert.Equal(GcraLimits.MicrosecondsPerMinute, tiny.EmissionInterval);
        Assert.Equal(tiny.EmissionInterval, tiny.Capacity);
        Assert.Equal(1, tiny.DailyQuota);
    }

    [Fact]
    public void From_DivisorBelowOne_TreatedAsOne()
    {
        Assert.Equal(GcraLimits.From(new QuotaPolicy("t", 60, 5, 9)), GcraLimits.From(new QuotaPolicy("t", 60, 5, 9), divisor: 0));
    }

    public static TheoryData<QuotaPolicy> InvalidPolicies =>
    [
        new QuotaPolicy("t", 0, 5),
        new QuotaPolicy("t", GcraLimits.MaxPermitsPerMinute + 1, 5),
        new QuotaPolicy("t", 60, 0),
        new QuotaPolicy("t", 60, GcraLimits.MaxBurst + 1),
        new QuotaPolicy("t", 60, 5, 0),
        new QuotaPolicy("t", 60, 5, GcraLimits.MaxDailyQuota + 1),
    ];

    [Theory]
    [MemberData(nameof(InvalidPolicies))]
    public void From_OutOfRange_ThrowsNamingTheLimit(QuotaPolicy policy)
    {
        ArgumentException e = Assert.Throws<ArgumentException>(() => GcraLimits.From(policy));

        Assert.StartsWith("Policy 't': ", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_SeveralLimitsWrong_ReportsEveryOneNamingTheSetting()
    {
        string[] errors = [.. GcraLimits.Validate(new QuotaPolicy("t", 0, 0, -1))];

        Assert.Equal(3, errors.Length);
        Assert.StartsWith("PermitsPerMinute", errors[0], StringComparison.Ordinal);
        Assert.StartsWith("Burst", errors[1], StringComparison.Ordinal);
        Assert.StartsWith("DailyQuota", errors[2], StringComparison.Ordinal);
        Assert.Empty(GcraLimits.Validate(new QuotaPolicy("t", 60, 5, 9)));
    }

    [Fact]
    public void From_LargestLimits_StayBelowTwoToThe53WithUnixTimesBefore2065()
    {
        GcraLimits limits = GcraLimits.From(new QuotaPolicy("t", 1, GcraLimits.MaxBurst, GcraLimits.MaxDailyQuota));
        long year2065 = UnixMicroseconds.From(new DateTimeOffset(2065, 1, 1, 0, 0, 0, TimeSpan.Zero));

        Assert.True(year2065 + limits.Capacity < 1L << 53);
    }
}
