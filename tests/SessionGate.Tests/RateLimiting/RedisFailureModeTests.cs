using SessionGate.RateLimiting;
using SessionGate.RateLimiting.Quotas;
using SessionGate.RateLimiting.Redis;
using SessionGate.Testing.Metrics;

namespace SessionGate.Tests.RateLimiting;

/// <summary>What the Redis limiter answers in each <see cref="RedisFailureMode"/> while the store is down.</summary>
public sealed class RedisFailureModeTests : IDisposable
{
    private readonly LimiterRig _rig = new();

    [Fact]
    public async Task AcquireAsync_LocalFallback_EnforcesQuotaDividedByInstanceCount()
    {
        RedisQuotaLimiter limiter = _rig.Create(RedisFailureMode.LocalFallback, instances: 4);
        _rig.Store.IsDown = true;
        var policy = new QuotaPolicy("t", 60, 20, 1000);
        var decisions = new List<QuotaDecision>();

        for (int i = 0; i < 6; i++)
        {
            decisions.Add(await limiter.AcquireAsync("acct:a", policy, 1));
        }

        Assert.Equal(5, decisions.Count(d => d.Allowed));
        Assert.All(decisions, d => Assert.True(d.Degraded));
        Assert.Equal(QuotaRejection.RateLimited, decisions[5].Rejection);
        // 60/min divided by 4: one unit per 4 s.
        Assert.Equal(TimeSpan.FromSeconds(4), decisions[5].RetryAfter);
        Assert.Equal(245, decisions[4].DailyRemaining);
    }

    [Fact]
    public async Task AcquireAsync_FailClosed_RefusesAsUnavailableUntilRedisReturns()
    {
        RedisQuotaLimiter limiter = _rig.Create(RedisFailureMode.FailClosed);
        _rig.Store.IsDown = true;

        QuotaDecision first = await limiter.AcquireAsync("acct:a", LimiterRig.Policy, 1);
        _rig.Time.Advance(TimeSpan.FromSeconds(2));
        QuotaDecision later = await limiter.AcquireAsync("acct:a", LimiterRig.Policy, 1);
        _rig.Store.IsDown = false;
        _rig.Time.Advance(LimiterRig.RetryInterval);
        QuotaDecision recovered = await limiter.AcquireAsync("acct:a", LimiterRig.Policy, 1);

        Assert.False(first.Allowed);
        Assert.Equal(QuotaRejection.Unavailable, first.Rejection);
        Assert.Equal(LimiterRig.RetryInterval, first.RetryAfter);
        Assert.Equal(TimeSpan.FromSeconds(3), later.RetryAfter);
        Assert.True(later.RetryAfter >= later.Reset);
        Assert.Null(later.DailyRemaining);
        Assert.True(recovered.Allowed);
        Assert.False(recovered.Degraded);
        Assert.Equal(2, _rig.Decisions.Sum(QuotaMetrics.ResultTag, "unavailable"));
    }

    [Fact]
    public async Task AcquireAsync_FailClosedProbeDue_RetryAfterAtLeastOneSecond()
    {
        RedisQuotaLimiter limiter = _rig.Create(RedisFailureMode.FailClosed);
        _rig.Store.IsDown = true;
        await limiter.AcquireAsync("acct:a", LimiterRig.Policy, 1);
        _rig.Time.Advance(LimiterRig.RetryInterval);

        QuotaDecision probeFailed = await limiter.AcquireAsync("acct:a", LimiterRig.Policy, 1);
        _rig.Time.Advance(LimiterRig.RetryInterval);
        _rig.Store.Hold();
        ValueTask<QuotaDecision> probe = limiter.AcquireAsync("acct:a", LimiterRig.Policy, 1);
        QuotaDecision whileProbing = await limiter.AcquireAsync("acct:a", LimiterRig.Policy, 1);
        _rig.Store.Release();
        await probe;

        Assert.Equal(LimiterRig.RetryInterval, probeFailed.RetryAfter);
        Assert.Equal(RedisQuotaLimiter.MinimumUnavailableRetryAfter, whileProbing.RetryAfter);
    }

    [Fact]
    public async Task AcquireAsync_FailOpen_AllowsEverythingDegraded()
    {
        RedisQuotaLimiter limiter = _rig.Create(RedisFailureMode.FailOpen);
        _rig.Store.IsDown = true;
        var decisions = new List<QuotaDecision>();

        for (int i = 0; i < 500; i++)
        {
            decisions.Add(await limiter.AcquireAsync("acct:a", LimiterRig.Policy, 10));
        }

        Assert.All(decisions, d => Assert.True(d.Allowed && d.Degraded));
        Assert.Equal(100, decisions[^1].Remaining);
        Assert.Equal(1000, decisions[^1].DailyRemaining);
        Assert.Equal(TimeSpan.FromHours(12), decisions[^1].DailyReset);
    }

    [Fact]
    public async Task PeekAsync_StoreDown_ReportsFromFallbackWithoutTaking()
    {
        RedisQuotaLimiter limiter = _rig.Create(RedisFailureMode.LocalFallback, instances: 2);
        _rig.Store.IsDown = true;

        QuotaDecision peek = await limiter.PeekAsync("acct:a", LimiterRig.Policy);
        QuotaDecision again = await limiter.PeekAsync("acct:a", LimiterRig.Policy);

        Assert.Equal(peek, again);
        Assert.Equal(50, peek.Remaining);
        Assert.True(peek.Degraded);
    }

    [Fact]
    public async Task AcquireAsync_LocalFallbackFlood_MemoryStaysBounded()
    {
        RedisQuotaLimiter limiter = _rig.Create(RedisFailureMode.LocalFallback, maxPartitions: 1000);
        _rig.Store.IsDown = true;

        for (int i = 0; i < 20_000; i++)
        {
            await limiter.AcquireAsync("ip:" + i.ToString(System.Globalization.CultureInfo.InvariantCulture), LimiterRig.Policy, 1);
        }

        Assert.True(limiter.Local.TrackedPartitions <= 1000);
    }

    public void Dispose() => _rig.Dispose();
}
