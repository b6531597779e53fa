using System.Diagnostics;
using System.Threading.RateLimiting;
using SessionGate.Usage;

using SessionGate.RateLimiting;
using SessionGate.AspNetCore.RateLimiting;

namespace SessionGate.AspNetCore.RateLimiting;

/// <summary>
/// The limiter of one <see cref="QuotaPartition"/>, created and evicted by ASP.NET Core's partitioned
/// limiter. Holds no budget itself: the budget lives in <see cref="IQuotaLimiter"/> (in memory, or
/// Redis shared by every instance), so evicting an idle partition loses nothing.
/// </summary>
internal sealed class QuotaPartitionLimiter : RateLimiter
{
    private readonly IQuotaLimiter _quotas;
    private readonly IUsageTracker _usage;
    private readonly IUsageHistory _history;
    private readonly RateLimitOutcomes _outcomes;
    private readonly QuotaPartition _partition;
    private readonly string? _account;
    private readonly string? _clientAddress;
    private long _lastUsed = Stopwatch.GetTimestamp();
    private int _inFlight;

    public QuotaPartitionLimiter(QuotaPartition partition, IQuotaLimiter quotas, IUsageTracker usage, IUsageHistory history, RateLimitOutcomes outcomes)
    {
        _partition = partition;
        _quotas = quotas;
        _usage = usage;
        _history = history;
        _outcomes = outcomes;
        _account = SessionGate.RateLimiting.Quotas.PartitionKey.AccountOf(partition.Key);
        _clientAddress = SessionGate.RateLimiting.Quotas.PartitionKey.AddressOf(partition.Key);
    }

    /// <summary>Idle since the last acquisition ended (ASP.NET Core evicts partitions idle for a while).</summary>
    public override TimeSpan? IdleDuration =>
        Volatile.Read(ref _inFlight) > 0 ? null : Stopwatch.GetElapsedTime(Volatile.Read(ref _lastUsed));

    public override RateLimiterStatistics? GetStatistics() => null;

    // The budget may live in Redis, so it is never decided synchronously: this attempt takes nothing
    // and is not granted, and ASP.NET Core's middleware then calls AcquireAsync.
    protected override RateLimitLease AttemptAcquireCore(int permitCount) => DeferredLease.Instance;

    protected override async ValueTask<RateLimitLease> AcquireAsyncCore(int permitCount, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _inFlight);
        try
        {
            QuotaPolicy policy = _partition.Policy;
            QuotaDecision decision = permitCount == 0
                ? await _quotas.PeekAsync(_partition.Key, policy, cancellationToken).ConfigureAwait(false)
                : await _quotas.AcquireAsync(_partition.Key, policy, _partition.Cost * permitCount, cancellationToken).ConfigureAwait(false);
            if (permitCount > 0)
            {
                // In memory only (the admin API's usage figures): no Redis command on the request path.
                _usage.Record(_account, rejected: !decision.Allowed);
                // In shadow mode a would-be refusal is served: history counts it as such, not as a refusal.
                bool shadow = _partition.Policy.Shadow;
                _history.Record(new UsageHistoryEntry(_account, _clientAddress, _partition.Route, decision.Allowed ? (long)_partition.Cost * permitCount : 0, Refused: !decision.Allowed && !shadow, WouldBeRefused: !decision.Allowed && shadow));
                _outcomes.Record(_partition.Key, policy, decision);
            }

            return new SessionGateLease(policy, decision);
        }
        finally
        {
            Volatile.Write(ref _lastUsed, Stopwatch.GetTimestamp());
            Interlocked.Decrement(ref _inFlight);
        }
    }
}
