using System.Diagnostics.Metrics;

namespace SessionGate.RateLimiting.Quotas;

/// <summary>
/// The limiter of a single gateway instance without Redis, and the local fallback of
/// <see cref="Redis.RedisQuotaLimiter"/>: the same arithmetic (<see cref="QuotaMath"/>) on per-partition
/// state held in a <see cref="PartitionStateTable"/> of at most
/// <see cref="RateLimitingOptions.MaxLocalPartitions"/> entries, timed by the injected
/// <see cref="TimeProvider"/>. Thread-safe; decisions complete synchronously.
/// </summary>
/// <remarks>
/// Under a flood of distinct partitions beyond the bound, no partition that still restricts someone is
/// forgotten: new partitions share an aggregate budget until states come to rest (see
/// <see cref="PartitionStateTable"/>), so memory stays bounded and no flood resets another account's
/// bucket or day. Acquisitions are counted in <c>sessiongate.ratelimit.decisions</c>; peeks are not.
/// </remarks>
internal sealed class InMemoryQuotaLimiter : IQuotaLimiter, IDisposable
{
    private readonly PartitionStateTable _states;
    private readonly TimeProvider _timeProvider;
    private readonly QuotaMetrics? _metrics;

    /// <summary>Creates the limiter for <paramref name="options"/> (only <see cref="RateLimitingOptions.MaxLocalPartitions"/> is used).</summary>
    public InMemoryQuotaLimiter(RateLimitingOptions options, TimeProvider timeProvider, IMeterFactory? meterFactory = null)
        : this(options?.MaxLocalPartitions ?? throw new ArgumentNullException(nameof(options)), timeProvider, new QuotaMetrics(meterFactory))
    {
    }

    /// <summary>Creates a limiter that counts decisions on <paramref name="metrics"/>, or not at all (a fallback counted by its owner).</summary>
    internal InMemoryQuotaLimiter(int maxPartitions, TimeProvider timeProvider, QuotaMetrics? metrics)
    {
        ArgumentNullException.ThrowIfNull(timeProvider);
        _timeProvider = timeProvider;
        _metrics = metrics;
        _states = new PartitionStateTable(maxPartitions);
    }

    /// <summary>Partitions held in memory now (for tests: never above the bound).</summary>
    internal int TrackedPartitions => _states.Count;

    /// <summary>Decisions taken on an aggregate because the table was full of restricting states.</summary>
    internal long AggregatedDecisions => _states.AggregatedDecisions;

    /// <summary>The most partitions held.</summary>
    internal int Capacity => _states.Capacity;

    /// <summary>The meter decisions are counted on, when this limiter counts them.</summary>
    internal Meter? Meter => _metrics?.Meter;

    /// <inheritdoc />
    public ValueTask<QuotaDecision> AcquireAsync(string partition, QuotaPolicy policy, int cost, CancellationToken cancellationToken = default)
    {
        TryAcquireLocally(partition, policy, cost, out QuotaDecision decision);
        return ValueTask.FromResult(decision);
    }

    /// <inheritdoc />
    public bool TryAcquireLocally(string partition, QuotaPolicy policy, int cost, out QuotaDecision decision)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(cost, 1);
        decision = Decide(PartitionKey.Normalize(partition), GcraLimits.From(policy), cost, commit: true).ToDecision();
        _metrics?.Decision(decision);
        return true;
    }

    /// <inheritdoc />
    public ValueTask<QuotaDecision> PeekAsync(string partition, QuotaPolicy policy, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(Decide(PartitionKey.Normalize(partition), GcraLimits.From(policy), 1, commit: false).ToDecision());

    /// <summary>Decides for an already normalized partition key (used directly by the Redis limiter's fallback).</summary>
    internal QuotaVerdict Decide(string key, GcraLimits limits, long cost, bool commit) =>
        _states.Decide(key, limits, cost, commit, _timeProvider);

    /// <inheritdoc />
    public void Dispose() => _metrics?.Dispose();
}
