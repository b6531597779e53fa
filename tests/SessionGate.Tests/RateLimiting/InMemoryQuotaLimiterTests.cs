using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Microsoft.Extensions.Time.Testing;
using SessionGate.RateLimiting;
using SessionGate.RateLimiting.Quotas;
using SessionGate.Testing;
using SessionGate.Testing.Metrics;

namespace SessionGate.Tests.RateLimiting;

public sealed class InMemoryQuotaLimiterTests
{
    private static readonly QuotaPolicy PerSecond = new("free", 60, 5);
    private static readonly DateTimeOffset BeforeMidnight = new(2026, 11, 21, 23, 59, 59, TimeSpan.Zero);

    [Fact]
    public async Task AcquireAsync_BurstThenRefill_FollowsTheClock()
    {
        var time = new FakeTimeProvider(TestTime.Start);
        using var limiter = new InMemoryQuotaLimiter(new RateLimitingOptions(), time);

        for (int i = 0; i < 5; i++)
        {
            Assert.True((await limiter.AcquireAsync("acct:a", PerSecond, 1)).Allowed);
        }

        QuotaDecision refused = await limiter.AcquireAsync("acct:a", PerSecond, 1);
        time.Advance(TimeSpan.FromSeconds(1));
        QuotaDecision refilled = await limiter.AcquireAsync("acct:a", PerSecond, 1);

        Assert.False(refused.Allowed);
        Assert.Equal(QuotaRejection.RateLimited, refused.Rejection);
        Assert.Equal(TimeSpan.FromSeconds(1), refused.RetryAfter);
        Assert.Equal(TimeSpan.FromSeconds(1), refused.Reset);
        Assert.True(refilled.Allowed);
        Assert.False(refilled.Degraded);
        Assert.Equal(TimeSpan.FromSeconds(5), refilled.Reset);
    }

    [Fact]
    public async Task AcquireAsync_DistinctPartitions_HaveDistinctBuckets()
    {
        using var limiter = new InMemoryQuotaLimiter(new RateLimitingOptions(), new FakeTimeProvider(TestTime.Start));

        await limiter.AcquireAsync("acct:a", PerSecond, 5);

        Assert.False((await limiter.AcquireAsync("acct:a", PerSecond, 1)).Allowed);
        Assert.True((await limiter.AcquireAsync("acct:b", PerSecond, 1)).Allowed);
    }

    [Fact]
    public async Task AcquireAsync_DailyBudget_ExhaustedThenResetAtUtcMidnight()
    {
        var time = new FakeTimeProvider(BeforeMidnight);
        using var limiter = new InMemoryQuotaLimiter(new RateLimitingOptions(), time);
        var policy = new QuotaPolicy("daily", 6000, 100, 3);

        QuotaDecision spent = await limiter.AcquireAsync("acct:a", policy, 3);
        QuotaDecision exhausted = await limiter.AcquireAsync("acct:a", policy, 1);
        time.Advance(TimeSpan.FromSeconds(1));
        QuotaDecision nextDay = await limiter.AcquireAsync("acct:a", policy, 1);

        Assert.Equal(0, spent.DailyRemaining);
        Assert.Equal(TimeSpan.FromSeconds(1), spent.DailyReset);
        Assert.Equal(QuotaRejection.QuotaExhausted, exhausted.Rejection);
        Assert.Equal(TimeSpan.FromSeconds(1), exhausted.RetryAfter);
        Assert.True(nextDay.Allowed);
        Assert.Equal(2, nextDay.DailyRemaining);
        Assert.Equal(TimeSpan.FromDays(1), nextDay.DailyReset);
    }

    [Fact]
    public async Task PeekAsync_AfterSpending_ReportsWithoutTaking()
    {
        using var limiter = new InMemoryQuotaLimiter(new RateLimitingOptions(), new FakeTimeProvider(TestTime.Start));
        var policy = new QuotaPolicy("t", 60, 5, 10);
        await limiter.AcquireAsync("acct:a", policy, 2);

        QuotaDecision first = await limiter.PeekAsync("acct:a", policy);
        QuotaDecision second = await limiter.PeekAsync("acct:a", policy);

        Assert.Equal(first, second);
        Assert.True(first.Allowed);
        Assert.Equal(3, first.Remaining);
        Assert.Equal(8, first.DailyRemaining);
        Assert.Equal(TimeSpan.FromSeconds(2), first.Reset);
    }

    [Fact]
    public async Task PeekAsync_UnknownPartition_ReportsFullBucketAndStoresNothing()
    {
        using var limiter = new InMemoryQuotaLimiter(new RateLimitingOptions(), new FakeTimeProvider(TestTime.Start));

        QuotaDecision peek = await limiter.PeekAsync("acct:new", PerSecond);

        Assert.True(peek.Allowed);
        Assert.Equal(5, peek.Remaining);
        Assert.Equal(TimeSpan.Zero, peek.Reset);
        Assert.Equal(0, limiter.TrackedPartitions);
    }

    [Fact]
    public async Task AcquireAsync_CostBelowOne_Throws()
    {
        using var limiter = new InMemoryQuotaLimiter(new RateLimitingOptions(), new FakeTimeProvider(TestTime.Start));

        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => limiter.AcquireAsync("acct:a", PerSecond, 0).AsTask());
    }

    [Fact]
    public async Task AcquireAsync_ConcurrentCallers_AdmitExactlyTheBurst()
    {
        using var limiter = new InMemoryQuotaLimiter(new RateLimitingOptions(), new FakeTimeProvider(TestTime.Start));
        var policy = new QuotaPolicy("t", 1, 1000);
        int allowed = 0;

        await Parallel.ForAsync(0, 8000, async (_, _) =>
        {
            if ((await limiter.AcquireAsync("acct:hot", policy, 1)).Allowed)
            {
                Interlocked.Increment(ref allowed);
            }
        });

        Assert.Equal(1000, allowed);
    }

    [Fact]
    public async Task AcquireAsync_MillionDistinctPartitions_MemoryStaysBounded()
    {
        var time = new FakeTimeProvider(TestTime.Start);
        using var limiter = new InMemoryQuotaLimiter(new RateLimitingOptions { MaxLocalPartitions = 10_000 }, time);
        int maxSeen = 0;

        for (int i = 0; i < 1_000_000; i++)
        {
            await limiter.AcquireAsync("ip:" + i.ToString(System.Globalization.CultureInfo.InvariantCulture), PerSecond, 1);
            if ((i & 1023) == 0)
            {
                maxSeen = Math.Max(maxSeen, limiter.TrackedPartitions);
            }
        }

        Assert.True(limiter.TrackedPartitions <= 10_000, $"{limiter.TrackedPartitions} partitions held");
        Assert.True(maxSeen <= 10_000, $"{maxSeen} partitions held at some point");
        // No time passes, so every held state still restricts its partition: none is forgotten (the
        // newcomers beyond the bound shared aggregate budgets instead).
        Assert.True((await limiter.AcquireAsync("ip:0", PerSecond, 1)).Remaining == 3, "the first partition keeps its state");
        Assert.True(limiter.AggregatedDecisions > 0);
    }

    [Fact]
    public async Task PeekAsync_AfterIdleRefill_DecidesLikeAFreshPartition()
    {
        var time = new FakeTimeProvider(TestTime.Start);
        using var limiter = new InMemoryQuotaLimiter(new RateLimitingOptions(), time);
        await limiter.AcquireAsync("acct:a", PerSecond, 5);

        time.Advance(TimeSpan.FromSeconds(5));

        QuotaDecision peek = await limiter.PeekAsync("acct:a", PerSecond);
        Assert.Equal(5, peek.Remaining);
    }

    [Fact]
    public async Task AcquireAsync_Decisions_CountedByResultWithoutPartitionTag()
    {
        using var limiter = new InMemoryQuotaLimiter(new RateLimitingOptions(), new FakeTimeProvider(TestTime.Start));
        using var decisions = new MetricCollector<long>(limiter.Meter!, QuotaMetrics.DecisionsName);
        var rate = new QuotaPolicy("rate", 60, 2);
        var daily = new QuotaPolicy("daily", 6000, 10, 3);

        for (int i = 0; i < 3; i++)
        {
            await limiter.AcquireAsync("acct:a", rate, 1);
        }

        await limiter.AcquireAsync("acct:b", daily, 3);
        await limiter.AcquireAsync("acct:b", daily, 1);
        await limiter.PeekAsync("acct:b", daily);

        Assert.Equal(3, decisions.Sum(QuotaMetrics.ResultTag, "allowed"));
        Assert.Equal(1, decisions.Sum(QuotaMetrics.ResultTag, "rate_limited"));
        Assert.Equal(1, decisions.Sum(QuotaMetrics.ResultTag, "quota_exhausted"));
        Assert.Equal(5, decisions.Sum(QuotaMetrics.DegradedTag, false));
        Assert.Equal(new HashSet<string> { QuotaMetrics.ResultTag, QuotaMetrics.DegradedTag }, decisions.TagKeys());
    }
}
