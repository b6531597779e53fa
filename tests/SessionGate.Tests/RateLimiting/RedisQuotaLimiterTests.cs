using Microsoft.Extensions.Logging;
using SessionGate.RateLimiting;
using SessionGate.RateLimiting.Quotas;
using SessionGate.RateLimiting.Redis;
using SessionGate.Testing.Metrics;

namespace SessionGate.Tests.RateLimiting;

/// <summary>The Redis limiter's circuit breaker against a fake store: open, fall back, probe, close; logs and counters.</summary>
public sealed class RedisQuotaLimiterTests : IDisposable
{
    private readonly LimiterRig _rig = new();

    [Fact]
    public async Task AcquireAsync_StoreHealthy_DecidesThroughStoreNotDegraded()
    {
        RedisQuotaLimiter limiter = _rig.Create(RedisFailureMode.LocalFallback);

        QuotaDecision decision = await limiter.AcquireAsync("acct:a", LimiterRig.Policy, 3);

        Assert.True(decision.Allowed);
        Assert.False(decision.Degraded);
        Assert.Equal(97, decision.Remaining);
        Assert.Equal(997, decision.DailyRemaining);
        Assert.Equal(1, _rig.Store.Calls);
    }

    [Fact]
    public async Task AcquireAsync_StoreFails_OpensFallsBackProbesAndCloses()
    {
        RedisQuotaLimiter limiter = _rig.Create(RedisFailureMode.LocalFallback);
        _rig.Store.IsDown = true;

        // Open: the failing call itself already falls back.
        QuotaDecision failed = await limiter.AcquireAsync("acct:a", LimiterRig.Policy, 1);
        Assert.True(failed.Allowed);
        Assert.True(failed.Degraded);
        Assert.True(limiter.IsDegraded);

        // Fallback: Redis is not asked again during the retry interval.
        for (int i = 0; i < 10; i++)
        {
            Assert.True((await limiter.AcquireAsync("acct:a", LimiterRig.Policy, 1)).Degraded);
        }

        Assert.Equal(1, _rig.Store.Calls);

        // Probe fails: still degraded, one more call.
        _rig.Time.Advance(LimiterRig.RetryInterval);
        Assert.True((await limiter.AcquireAsync("acct:a", LimiterRig.Policy, 1)).Degraded);
        Assert.Equal(2, _rig.Store.Calls);
        Assert.True((await limiter.AcquireAsync("acct:a", LimiterRig.Policy, 1)).Degraded);
        Assert.Equal(2, _rig.Store.Calls);

        // Probe succeeds: closed, shared decisions again.
        _rig.Store.IsDown = false;
        _rig.Time.Advance(LimiterRig.RetryInterval);
        QuotaDecision probe = await limiter.AcquireAsync("acct:a", LimiterRig.Policy, 1);
        QuotaDecision after = await limiter.AcquireAsync("acct:a", LimiterRig.Policy, 1);

        Assert.False(probe.Degraded);
        Assert.False(after.Degraded);
        Assert.False(limiter.IsDegraded);
        Assert.Equal(4, _rig.Store.Calls);
    }

    [Fact]
    public async Task AcquireAsync_SwitchesBothWays_LoggedAndCountedOnce()
    {
        RedisQuotaLimiter limiter = _rig.Create(RedisFailureMode.LocalFallback);
        _rig.Store.IsDown = true;
        await limiter.AcquireAsync("acct:a", LimiterRig.Policy, 1);
        await limiter.AcquireAsync("acct:a", LimiterRig.Policy, 1);
        _rig.Time.Advance(LimiterRig.RetryInterval);
        await limiter.AcquireAsync("acct:a", LimiterRig.Policy, 1);
        _rig.Store.IsDown = false;
        _rig.Time.Advance(LimiterRig.RetryInterval);
        await limiter.AcquireAsync("acct:a", LimiterRig.Policy, 1);
        await limiter.AcquireAsync("acct:a", LimiterRig.Policy, 1);

        Assert.Single(_rig.Logger.Collector.GetSnapshot(), e => e.Id.Id == 4000 && e.Level == LogLevel.Warning);
        Assert.Single(_rig.Logger.Collector.GetSnapshot(), e => e.Id.Id == 4001 && e.Level == LogLevel.Information);
        Assert.Single(_rig.Logger.Collector.GetSnapshot(), e => e.Id.Id == 4002);
        Assert.Contains("LocalFallback", _rig.Logger.Collector.GetSnapshot().Single(e => e.Id.Id == 4000).Message, StringComparison.Ordinal);
        Assert.Equal(1, _rig.FallbackSwitches.Sum(QuotaMetrics.SwitchTag, "to_fallback"));
        Assert.Equal(1, _rig.FallbackSwitches.Sum(QuotaMetrics.SwitchTag, "to_redis"));
        Assert.Equal(2, _rig.RedisFailures.Sum());
        Assert.Equal(3, _rig.Decisions.Sum(QuotaMetrics.DegradedTag, true));
        Assert.Equal(2, _rig.Decisions.Sum(QuotaMetrics.DegradedTag, false));
    }

    [Fact]
    public async Task AcquireAsync_WhileProbeInFlight_OthersFallBackWithoutWaiting()
    {
        RedisQuotaLimiter limiter = _rig.Create(RedisFailureMode.LocalFallback);
        _rig.Store.IsDown = true;
        await limiter.AcquireAsync("acct:a", LimiterRig.Policy, 1);
        _rig.Store.IsDown = false;
        _rig.Time.Advance(LimiterRig.RetryInterval);
        _rig.Store.Hold();

        ValueTask<QuotaDecision> probe = limiter.AcquireAsync("acct:a", LimiterRig.Policy, 1);
        ValueTask<QuotaDecision> other = limiter.AcquireAsync("acct:b", LimiterRig.Policy, 1);

        Assert.True(other.IsCompleted);
        Assert.True((await other).Degraded);
        Assert.False(probe.IsCompleted);
        _rig.Store.Release();
        Assert.False((await probe).Degraded);
        Assert.False(limiter.IsDegraded);
    }

    [Fact]
    public async Task AcquireAsync_ProbeCancelled_NextCallProbes()
    {
        RedisQuotaLimiter limiter = _rig.Create(RedisFailureMode.LocalFallback);
        _rig.Store.IsDown = true;
        await limiter.AcquireAsync("acct:a", LimiterRig.Policy, 1);
        _rig.Store.IsDown = false;
        _rig.Time.Advance(LimiterRig.RetryInterval);
        _rig.Store.Hold();
        using var cancel = new CancellationTokenSource();

        ValueTask<QuotaDecision> probe = limiter.AcquireAsync("acct:a", LimiterRig.Policy, 1, cancel.Token);
        await cancel.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await probe);
        _rig.Store.Release();
        QuotaDecision next = await limiter.AcquireAsync("acct:a", LimiterRig.Policy, 1);

        Assert.False(next.Degraded);
    }

    [Fact]
    public async Task AcquireAsync_StoreCancelsWithoutCallerAsking_TreatedAsRedisFailure()
    {
        RedisQuotaLimiter limiter = _rig.Create(RedisFailureMode.FailClosed);
        _rig.Store.Failure = new TaskCanceledException("the client library gave up");

        QuotaDecision decision = await limiter.AcquireAsync("acct:a", LimiterRig.Policy, 1);

        Assert.Equal(QuotaRejection.Unavailable, decision.Rejection);
        Assert.True(limiter.IsDegraded);
    }

    [Fact]
    public async Task AcquireAsync_CallerCancelsWhileClosed_ThrowsAndBreakerStaysClosed()
    {
        RedisQuotaLimiter limiter = _rig.Create(RedisFailureMode.LocalFallback);
        _rig.Store.Hold();
        using var cancel = new CancellationTokenSource();

        ValueTask<QuotaDecision> call = limiter.AcquireAsync("acct:a", LimiterRig.Policy, 1, cancel.Token);
        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await call);
        Assert.False(limiter.IsDegraded);
        _rig.Store.Release();
    }

    public void Dispose() => _rig.Dispose();
}
