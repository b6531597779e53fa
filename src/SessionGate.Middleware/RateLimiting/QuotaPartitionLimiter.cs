using System.Diagnostics;
using System.Threading.RateLimiting;
using SessionGate.RateLimiting;
using SessionGate.Usage;

namespace SessionGate.AspNetCore.RateLimiting;

/// <summary>
/// The limiter of one <see cref="QuotaPartition"/>, created and evicted by ASP.NET Core's partitioned
/// limiter. Holds no budget itself: the budget lives in <see cref="IQuotaLimiter"/> (in memory, or
/// Redis shared by every instance), so evicting an idle partition loses nothing.
/// </summary>
/// <remarks>
/// A synchronous attempt is decided at once when the quota limiter can decide locally
/// (<see cref="IQuotaLimiter.TryAcquireLocally"/>: always in memory, from leased permits with Redis),
/// so ASP.NET Core's rate-limiting middleware takes its synchronous path and never reaches its
/// asynchronous <c>CombinedWaitAsync</c> for a granted request. A local refusal of an enforced policy
/// is not answered synchronously: the middleware keeps only an acquired synchronous lease and
/// otherwise acquires asynchronously, so the attempt defers and hands the refusal to that
/// acquisition through the request's <see cref="RateLimitResponse"/>, which then answers with it
/// (one decision per request, counted once). Without an attached response (the policy used without
/// <c>UseSessionGate</c>) the asynchronous path decides again; a refusal takes nothing from the
/// budget, so that decision sees the same budget. In shadow mode a refusal is served, so it is
/// answered synchronously.
/// </remarks>
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

    /// <summary>The partition this limiter decides for.</summary>
    public QuotaPartition Partition => _partition;

    /// <summary>Idle since the last acquisition ended (ASP.NET Core evicts partitions idle for a while).</summary>
    public override TimeSpan? IdleDuration =>
        Volatile.Read(ref _inFlight) > 0 ? null : Stopwatch.GetElapsedTime(Volatile.Read(ref _lastUsed));

    public override RateLimiterStatistics? GetStatistics() => null;

    // A 0-permit attempt (a probe) is never decided synchronously, as before.
    protected override RateLimitLease AttemptAcquireCore(int permitCount) =>
        permitCount > 0 && TryDecideLocally(permitCount, out QuotaDecision decision)
            ? SessionGateLease.For(_partition.Policy, decision)
            : DeferredLease.Instance;

    protected override async ValueTask<RateLimitLease> AcquireAsyncCore(int permitCount, CancellationToken cancellationToken)
    {
        QuotaDecision decision = await DecideAsync(permitCount, cancellationToken).ConfigureAwait(false);
        return permitCount == 0 ? new SessionGateLease(_partition.Policy, decision) : SessionGateLease.For(_partition.Policy, decision);
    }

    /// <summary>
    /// Decides <paramref name="permitCount"/> (at least 1) now when the quota limiter can do so
    /// locally, recording the decision as <see cref="DecideAsync"/> does; false (nothing taken,
    /// nothing recorded) when the decision needs the asynchronous path.
    /// </summary>
    internal bool TryDecideLocally(int permitCount, out QuotaDecision decision)
    {
        RateLimitResponse? deciding = RateLimitResponse.TakeDeciding();
        Interlocked.Increment(ref _inFlight);
        try
        {
            QuotaPolicy policy = _partition.Policy;
            if (!_quotas.TryAcquireLocally(_partition.Key, policy, _partition.Cost * permitCount, out decision))
            {
                return false;
            }

            if (!decision.Allowed && !policy.Shadow)
            {
                deciding?.HoldRefusal(this, decision);
                decision = default;
                return false;
            }

            Record(policy, decision, permitCount);
            return true;
        }
        finally
        {
            Volatile.Write(ref _lastUsed, Stopwatch.GetTimestamp());
            Interlocked.Decrement(ref _inFlight);
        }
    }

    /// <summary>Decides <paramref name="permitCount"/> (0: only looks, takes and records nothing).</summary>
    internal async ValueTask<QuotaDecision> DecideAsync(int permitCount, CancellationToken cancellationToken)
    {
        // Runs before the first await, so still on the thread the partitioner ran on.
        RateLimitResponse? deciding = RateLimitResponse.TakeDeciding();
        Interlocked.Increment(ref _inFlight);
        try
        {
            QuotaPolicy policy = _partition.Policy;
            if (permitCount > 0 && deciding is not null && deciding.TryTakeRefusal(this, out QuotaDecision refused))
            {
                Record(policy, refused, permitCount);
                return refused;
            }

            QuotaDecision decision = permitCount == 0
                ? await _quotas.PeekAsync(_partition.Key, policy, cancellationToken).ConfigureAwait(false)
                : await _quotas.AcquireAsync(_partition.Key, policy, _partition.Cost * permitCount, cancellationToken).ConfigureAwait(false);
            if (permitCount > 0)
            {
                Record(policy, decision, permitCount);
            }

            return decision;
        }
        finally
        {
            Volatile.Write(ref _lastUsed, Stopwatch.GetTimestamp());
            Interlocked.Decrement(ref _inFlight);
        }
    }

    // The same for a synchronous and an asynchronous decision.
    private void Record(QuotaPolicy policy, in QuotaDecision decision, int permitCount)
    {
        // In memory only (the admin API's usage figures): no Redis command on the request path.
        _usage.Record(_account, rejected: !decision.Allowed);
        // In shadow mode a would-be refusal is served: history counts it as such, not as a refusal.
        bool shadow = policy.Shadow;
        _history.Record(new UsageHistoryEntry(_account, _clientAddress, _partition.Route, decision.Allowed ? (long)_partition.Cost * permitCount : 0, Refused: !decision.Allowed && !shadow, WouldBeRefused: !decision.Allowed && shadow));
        _outcomes.Record(_partition.Key, policy, decision);
    }
}
