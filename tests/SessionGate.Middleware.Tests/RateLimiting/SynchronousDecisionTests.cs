using System.Threading.RateLimiting;
using Microsoft.Extensions.Time.Testing;
using SessionGate.AspNetCore.RateLimiting;
using SessionGate.RateLimiting;
using SessionGate.Usage;

namespace SessionGate.Middleware.Tests.RateLimiting;

/// <summary>
/// A partition's limiter answers ASP.NET Core's synchronous attempt when the quota limiter can decide
/// locally, and records that decision exactly as an asynchronous one (issue 16).
/// </summary>
public sealed class SynchronousDecisionTests
{
    private const string Partition = "ip:192.0.2.1";

    private static readonly QuotaPolicy TwoBurst = new("trial", PermitsPerMinute: 1, Burst: 2);

    private readonly FakeTimeProvider _time = new(DateTimeOffset.Parse("2026-12-03T12:00:00Z", System.Globalization.CultureInfo.InvariantCulture));

    private (MeteredPartitionLimiter Limiter, CountingUsage Usage, RateLimitOutcomes Outcomes) Create(IQuotaLimiter quotas, QuotaPolicy policy)
    {
        var partition = new QuotaPartition(Partition, policy, 1);
        var usage = new CountingUsage();
        var outcomes = new RateLimitOutcomes(_time);
        var inner = new QuotaPartitionLimiter(partition, quotas, policy.Shadow ? ShadowUsage.Instance : usage, new CountingHistory(), outcomes);
        return (new MeteredPartitionLimiter(inner, partition, new RateLimitPolicyMetrics(null), usage, 0.8), usage, outcomes);
    }

    [Fact]
    public void AttemptAcquire_InMemoryGrant_IsDecidedSynchronouslyAndCountedOnce()
    {
        var quotas = new LocalBucket(2);
        (MeteredPartitionLimiter limiter, CountingUsage usage, RateLimitOutcomes outcomes) = Create(quotas, TwoBurst);

        using RateLimitLease lease = limiter.AttemptAcquire(1);

        Assert.True(lease.IsAcquired);
        Assert.Same(SessionGateLease.Granted, lease);
        Assert.True(outcomes.TryGet(Partition, out RateLimitOutcome outcome));
        Assert.Equal(1, outcome.Decision.Remaining);
        Assert.Equal((1, 0, 0), (usage.Requests, usage.Rejected, usage.ShadowRejected));
    }

    [Fact]
    public async Task AttemptAcquire_EnforcedRefusal_DefersAndTheAsynchronousPathRefuses()
    {
        var quotas = new LocalBucket(2);
        (MeteredPartitionLimiter limiter, CountingUsage usage, _) = Create(quotas, TwoBurst);
        limiter.AttemptAcquire(2).Dispose();

        using RateLimitLease attempt = limiter.AttemptAcquire(1);
        using RateLimitLease refused = await limiter.AcquireAsync(1);

        Assert.False(attempt.IsAcquired);
        Assert.Same(DeferredLease.Instance, attempt);
        Assert.False(refused.IsAcquired);
        Assert.True(refused.TryGetMetadata(MetadataName.RetryAfter, out TimeSpan retryAfter));
        Assert.True(retryAfter > TimeSpan.Zero);
        Assert.Equal((2, 1, 0), (usage.Requests, usage.Rejected, usage.ShadowRejected));
    }

    [Fact]
    public void AttemptAcquire_ShadowRefusal_IsGrantedSynchronouslyAndCountedAsWouldBeRefusal()
    {
        var quotas = new LocalBucket(2);
        (MeteredPartitionLimiter limiter, CountingUsage usage, _) = Create(quotas, TwoBurst with { Shadow = true });
        limiter.AttemptAcquire(2).Dispose();

        using RateLimitLease lease = limiter.AttemptAcquire(1);

        Assert.True(lease.IsAcquired);
        Assert.Equal((2, 0, 1), (usage.Requests, usage.Rejected, usage.ShadowRejected));
    }

    [Fact]
    public async Task AttemptAcquire_LimiterWithoutLocalDecision_DefersToAcquireAsync()
    {
        var quotas = new AsynchronousOnly(new LocalBucket(2));
        (MeteredPartitionLimiter limiter, CountingUsage usage, _) = Create(quotas, TwoBurst);

        using RateLimitLease attempt = limiter.AttemptAcquire(1);
        using RateLimitLease lease = await limiter.AcquireAsync(1);

        Assert.Same(DeferredLease.Instance, attempt);
        Assert.True(lease.IsAcquired);
        Assert.Equal(1, quotas.Acquisitions);
        Assert.Equal(1, usage.Requests);
    }

    [Fact]
    public void AttemptAcquire_ZeroPermits_IsNeverDecidedSynchronously()
    {
        var quotas = new LocalBucket(2);
        (MeteredPartitionLimiter limiter, _, RateLimitOutcomes outcomes) = Create(quotas, TwoBurst);

        Assert.Same(DeferredLease.Instance, limiter.AttemptAcquire(0));
        Assert.False(outcomes.TryGet(Partition, out _));
    }

    // A local bucket of a fixed number of permits, always decided at once (as in memory).
    private sealed class LocalBucket(int permits) : IQuotaLimiter
    {
        private int _left = permits;

        public ValueTask<QuotaDecision> AcquireAsync(string partition, QuotaPolicy policy, int cost, CancellationToken cancellationToken = default)
        {
            TryAcquireLocally(partition, policy, cost, out QuotaDecision decision);
            return ValueTask.FromResult(decision);
        }

        public bool TryAcquireLocally(string partition, QuotaPolicy policy, int cost, out QuotaDecision decision)
        {
            bool allowed = _left >= cost;
            _left -= allowed ? cost : 0;
            decision = new QuotaDecision
            {
                Allowed = allowed,
                Rejection = allowed ? QuotaRejection.None : QuotaRejection.RateLimited,
                Remaining = _left,
                Reset = TimeSpan.FromMinutes(1),
                RetryAfter = allowed ? TimeSpan.Zero : TimeSpan.FromMinutes(1),
            };
            return true;
        }

        public ValueTask<QuotaDecision> PeekAsync(string partition, QuotaPolicy policy, CancellationToken cancellationToken = default) =>
            throw new NotSupportedException();
    }

    private sealed class CountingHistory : IUsageHistory
    {
        public void Record(in UsageHistoryEntry entry)
        {
        }

        public void RecordMethodCall(string method, long cost, bool refused, bool wouldBeRefused = false)
        {
        }

        public Task<UsageHistoryReport> ReadAsync(HistoryRange range, int top, CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public Task<HistorySeries> ReadAccountAsync(string account, HistoryRange range, CancellationToken cancellationToken = default) => throw new NotSupportedException();
    }

    private sealed class CountingUsage : IUsageTracker
    {
        public int Requests { get; private set; }

        public int Rejected { get; private set; }

        public int ShadowRejected { get; private set; }

        public void Record(string? account, bool rejected) => Record(account, rejected, shadowRejected: false);

        public void Record(string? account, bool rejected, bool shadowRejected)
        {
            Requests++;
            Rejected += rejected ? 1 : 0;
            ShadowRejected += shadowRejected ? 1 : 0;
        }

        public Task<UsageSnapshot> ReadAsync(CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public Task<UsageSeries> ReadAccountAsync(string account, CancellationToken cancellationToken = default) => throw new NotSupportedException();
    }

    // A shared store without leased permits: every decision is asynchronous.
    private sealed class AsynchronousOnly(IQuotaLimiter inner) : IQuotaLimiter
    {
        public int Acquisitions { get; private set; }

        public ValueTask<QuotaDecision> AcquireAsync(string partition, QuotaPolicy policy, int cost, CancellationToken cancellationToken = default)
        {
            Acquisitions++;
            return inner.AcquireAsync(partition, policy, cost, cancellationToken);
        }

        public ValueTask<QuotaDecision> PeekAsync(string partition, QuotaPolicy policy, CancellationToken cancellationToken = default) =>
            inner.PeekAsync(partition, policy, cancellationToken);
    }
}
