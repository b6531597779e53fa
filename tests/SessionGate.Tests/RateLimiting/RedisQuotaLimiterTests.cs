using Microsoft.Extensions.Logging;
using SessionGate.RateLimiting;
using SessionGate.RateLimiting.Quotas;
using SessionGate.RateLimiting.Redis;
using SessionGate.Tests.Chain;
using SessionGate.Tests.Fakes;

namespace SessionGate.Tests.RateLimiting;

/// <summary>The Redis limiter's circuit breaker and failure modes, against a fake store.</summary>
public sealed class RedisQuotaLimiterTests : IDisposable
{
    private static readonly TimeSpan RetryInterval = TimeSpan.FromSeconds(5);
    private static readonly QuotaPolicy Policy = new("holder", 600, 100, 1000);

    private readonly FakeTimeProvider _time = new();
    private readonly FakeQuotaStore _store;
    private readonly CapturingLogger<RedisQuotaLimiter> _logger = new();
    private RedisQuotaLimiter? _limiter;
    private MetricRecorder? _metrics;

    public RedisQuotaLimiterTests() => _store = new FakeQuotaStore(_time);

    [Fact]
    public async Task AcquireAsync_StoreHealthy_DecidesThroughStoreNotDegraded()
    {
        RedisQuotaLimiter limiter = Create(RedisFailureMode.LocalFallback);

        QuotaDecision decision = await limiter.AcquireAsync("acct:a", Policy, 3);

        Assert.True(decision.Allowed);
        Assert.False(decision.Degraded);
        Assert.Equal(97, decision.Remaining);
        Assert.Equal(997, decision.DailyRemaining);
        Assert.Equal(1, _store.Calls);
    }

    [Fact]
    public async Task AcquireAsync_StoreFails_OpensFallsBackProbesAndCloses()
    {
        RedisQuotaLimiter limiter = Create(RedisFailureMode.LocalFallback);
        _store.IsDown = true;

        // Open: the failing call itself already falls back.
        QuotaDecision failed = await limiter.AcquireAsync("acct:a", Policy, 1);
        Assert.True(failed.Allowed);
        Assert.True(failed.Degraded);
        Assert.True(limiter.IsDegraded);

        // Fallback: Redis is not asked again during the retry interval.
        for (int i = 0; i < 10; i++)
        {
            Assert.True((await limiter.AcquireAsync("acct:a", Policy, 1)).Degraded);
        }

        Assert.Equal(1, _store.Calls);

        // Probe fails: still degraded, one more call.
        _time.Advance(RetryInterval);
        Assert.True((await limiter.AcquireAsync("acct:a", Policy, 1)).Degraded);
        Assert.Equal(2, _store.Calls);
        Assert.True((await limiter.AcquireAsync("acct:a", Policy, 1)).Degraded);
        Assert.Equal(2, _store.Calls);

        // Probe succeeds: closed, shared decisions again.
        _store.IsDown = false;
        _time.Advance(RetryInterval);
        QuotaDecision probe = await limiter.AcquireAsync("acct:a", Policy, 1);
        QuotaDecision after = await limiter.AcquireAsync("acct:a", Policy, 1);

        Assert.False(probe.Degraded);
        Assert.False(after.Degraded);
        Assert.False(limiter.IsDegraded);
        Assert.Equal(4, _store.Calls);
    }

    [Fact]
    public async Task AcquireAsync_SwitchesBothWays_LoggedAndCountedOnce()
    {
        RedisQuotaLimiter limiter = Create(RedisFailureMode.LocalFallback);
        _store.IsDown = true;
        await limiter.AcquireAsync("acct:a", Policy, 1);
        await limiter.AcquireAsync("acct:a", Policy, 1);
        _time.Advance(RetryInterval);
        await limiter.AcquireAsync("acct:a", Policy, 1);
        _store.IsDown = false;
        _time.Advance(RetryInterval);
        await limiter.AcquireAsync("acct:a", Policy, 1);
        await limiter.AcquireAsync("acct:a", Policy, 1);

        Assert.Single(_logger.Entries, e => e.EventId.Id == 4000 && e.Level == LogLevel.Warning);
        Assert.Single(_logger.Entries, e => e.EventId.Id == 4001 && e.Level == LogLevel.Information);
        Assert.Single(_logger.Entries, e => e.EventId.Id == 4002);
        Assert.Contains("LocalFallback", _logger.Entries.Single(e => e.EventId.Id == 4000).Message, StringComparison.Ordinal);
        Assert.Equal(1, _metrics!.Sum(QuotaMetrics.FallbackSwitchesName, QuotaMetrics.SwitchTag, "to_fallback"));
        Assert.Equal(1, _metrics.Sum(QuotaMetrics.FallbackSwitchesName, QuotaMetrics.SwitchTag, "to_redis"));
        Assert.Equal(2, _metrics.Sum(QuotaMetrics.RedisFailuresName));
        Assert.Equal(3, _metrics.Sum(QuotaMetrics.DecisionsName, QuotaMetrics.DegradedTag, true));
        Assert.Equal(2, _metrics.Sum(QuotaMetrics.DecisionsName, QuotaMetrics.DegradedTag, false));
    }

    [Fact]
    public async Task AcquireAsync_LocalFallback_EnforcesQuotaDividedByInstanceCount()
    {
        RedisQuotaLimiter limiter = Create(RedisFailureMode.LocalFallback, instances: 4);
        _store.IsDown = true;
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
        RedisQuotaLimiter limiter = Create(RedisFailureMode.FailClosed);
        _store.IsDown = true;

        QuotaDecision first = await limiter.AcquireAsync("acct:a", Policy, 1);
        _time.Advance(TimeSpan.FromSeconds(2));
        QuotaDecision later = await limiter.AcquireAsync("acct:a", Policy, 1);
        _store.IsDown = false;
        _time.Advance(RetryInterval);
        QuotaDecision recovered = await limiter.AcquireAsync("acct:a", Policy, 1);

        Assert.False(first.Allowed);
        Assert.Equal(QuotaRejection.Unavailable, first.Rejection);
        Assert.Equal(RetryInterval, first.RetryAfter);
        Assert.Equal(TimeSpan.FromSeconds(3), later.RetryAfter);
        Assert.True(later.RetryAfter >= later.Reset);
        Assert.Null(later.DailyRemaining);
        Assert.True(recovered.Allowed);
        Assert.False(recovered.Degraded);
        Assert.Equal(2, _metrics!.Sum(QuotaMetrics.DecisionsName, QuotaMetrics.ResultTag, "unavailable"));
    }

    [Fact]
    public async Task AcquireAsync_FailClosedProbeDue_RetryAfterAtLeastOneSecond()
    {
        RedisQuotaLimiter limiter = Create(RedisFailureMode.FailClosed);
        _store.IsDown = true;
        await limiter.AcquireAsync("acct:a", Policy, 1);
        _time.Advance(RetryInterval);

        QuotaDecision probeFailed = await limiter.AcquireAsync("acct:a", Policy, 1);
        _time.Advance(RetryInterval);
        _store.Hold();
        ValueTask<QuotaDecision> probe = limiter.AcquireAsync("acct:a", Policy, 1);
        QuotaDecision whileProbing = await limiter.AcquireAsync("acct:a", Policy, 1);
        _store.Release();
        await probe;

        Assert.Equal(RetryInterval, probeFailed.RetryAfter);
        Assert.Equal(RedisQuotaLimiter.MinimumUnavailableRetryAfter, whileProbing.RetryAfter);
    }

    [Fact]
    public async Task AcquireAsync_FailOpen_AllowsEverythingDegraded()
    {
        RedisQuotaLimiter limiter = Create(RedisFailureMode.FailOpen);
        _store.IsDown = true;
        var decisions = new List<QuotaDecision>();

        for (int i = 0; i < 500; i++)
        {
            decisions.Add(await limiter.AcquireAsync("acct:a", Policy, 10));
        }

        Assert.All(decisions, d => Assert.True(d.Allowed && d.Degraded));
        Assert.Equal(100, decisions[^1].Remaining);
        Assert.Equal(1000, decisions[^1].DailyRemaining);
        Assert.Equal(TimeSpan.FromHours(12), decisions[^1].DailyReset);
    }

    [Fact]
    public async Task AcquireAsync_WhileProbeInFlight_OthersFallBackWithoutWaiting()
    {
        RedisQuotaLimiter limiter = Create(RedisFailureMode.LocalFallback);
        _store.IsDown = true;
        await limiter.AcquireAsync("acct:a", Policy, 1);
        _store.IsDown = false;
        _time.Advance(RetryInterval);
        _store.Hold();

        ValueTask<QuotaDecision> probe = limiter.AcquireAsync("acct:a", Policy, 1);
        ValueTask<QuotaDecision> other = limiter.AcquireAsync("acct:b", Policy, 1);

        Assert.True(other.IsCompleted);
        Assert.True((await other).Degraded);
        Assert.False(probe.IsCompleted);
        _store.Release();
        Assert.False((await probe).Degraded);
        Assert.False(limiter.IsDegraded);
    }

    [Fact]
    public async Task AcquireAsync_ProbeCancelled_NextCallProbes()
    {
        RedisQuotaLimiter limiter = Create(RedisFailureMode.LocalFallback);
        _store.IsDown = true;
        await limiter.AcquireAsync("acct:a", Policy, 1);
        _store.IsDown = false;
        _time.Advance(RetryInterval);
        _store.Hold();
        using var cancel = new CancellationTokenSource();

        ValueTask<QuotaDecision> probe = limiter.AcquireAsync("acct:a", Policy, 1, cancel.Token);
        await cancel.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await probe);
        _store.Release();
        QuotaDecision next = await limiter.AcquireAsync("acct:a", Policy, 1);

        Assert.False(next.Degraded);
    }

    [Fact]
    public async Task AcquireAsync_StoreCancelsWithoutCallerAsking_TreatedAsRedisFailure()
    {
        RedisQuotaLimiter limiter = Create(RedisFailureMode.FailClosed);
        _store.Failure = new TaskCanceledException("the client library gave up");

        QuotaDecision decision = await limiter.AcquireAsync("acct:a", Policy, 1);

        Assert.Equal(QuotaRejection.Unavailable, decision.Rejection);
        Assert.True(limiter.IsDegraded);
    }

    [Fact]
    public async Task AcquireAsync_CallerCancelsWhileClosed_ThrowsAndBreakerStaysClosed()
    {
        RedisQuotaLimiter limiter = Create(RedisFailureMode.LocalFallback);
        _store.Hold();
        using var cancel = new CancellationTokenSource();

        ValueTask<QuotaDecision> call = limiter.AcquireAsync("acct:a", Policy, 1, cancel.Token);
        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await call);
        Assert.False(limiter.IsDegraded);
        _store.Release();
    }

    [Fact]
    public async Task PeekAsync_StoreDown_ReportsFromFallbackWithoutTaking()
    {
        RedisQuotaLimiter limiter = Create(RedisFailureMode.LocalFallback, instances: 2);
        _store.IsDown = true;

        QuotaDecision peek = await limiter.PeekAsync("acct:a", Policy);
        QuotaDecision again = await limiter.PeekAsync("acct:a", Policy);

        Assert.Equal(peek, again);
        Assert.Equal(50, peek.Remaining);
        Assert.True(peek.Degraded);
    }

    [Fact]
    public async Task AcquireAsync_LocalFallbackFlood_MemoryStaysBounded()
    {
        RedisQuotaLimiter limiter = Create(RedisFailureMode.LocalFallback, maxPartitions: 1000);
        _store.IsDown = true;

        for (int i = 0; i < 20_000; i++)
        {
            await limiter.AcquireAsync("ip:" + i.ToString(System.Globalization.CultureInfo.InvariantCulture), Policy, 1);
        }

        Assert.True(limiter.Local.TrackedPartitions <= 1000);
    }

    public void Dispose()
    {
        _metrics?.Dispose();
        _limiter?.Dispose();
    }

    private RedisQuotaLimiter Create(RedisFailureMode mode, int instances = 1, int maxPartitions = 100_000)
    {
        var options = new RateLimitingOptions { RedisFailureMode = mode, InstanceCount = instances, RedisRetryInterval = RetryInterval, MaxLocalPartitions = maxPartitions };
        _limiter = new RedisQuotaLimiter(_store, options, _time, _logger);
        _metrics = new MetricRecorder(_limiter.Meter);
        return _limiter;
    }
}
