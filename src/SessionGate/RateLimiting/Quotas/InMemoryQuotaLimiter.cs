using System.Diagnostics.Metrics;
using SessionGate.Caching;

namespace SessionGate.RateLimiting.Quotas;

/// <summary>
/// The limiter of a single gateway instance without Redis, and the local fallback of
/// <see cref="Redis.RedisQuotaLimiter"/>: the same arithmetic (<see cref="QuotaMath"/>) on per-partition
/// state held in a <see cref="BoundedCache{TKey, TValue}"/> of at most
/// <see cref="RateLimitingOptions.MaxLocalPartitions"/> entries, timed by the injected
/// <see cref="TimeProvider"/>.
/// </summary>
/// <remarks>
/// A state expires when it would equal a fresh one (bucket full, day over), so an evicted or expired
/// partition is decided exactly as before. Under a flood of distinct partitions beyond the bound, the
/// least recently used partitions are forgotten, i.e. get a full bucket again: memory stays bounded,
/// at the price of letting such partitions burst once more. Decisions of one partition are serialized
/// by one of <see cref="StripeCount"/> locks, so concurrent requests cannot both spend the last unit.
/// </remarks>
internal sealed class InMemoryQuotaLimiter : IQuotaLimiter, IDisposable
{
    /// <summary>Lock stripes: enough that unrelated partitions rarely contend.</summary>
    internal const int StripeCount = 64;

    private readonly BoundedCache<string, QuotaState> _states;
    private readonly Lock[] _stripes;
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
        _states = new BoundedCache<string, QuotaState>(Math.Max(2, maxPartitions), timeProvider);
        _stripes = new Lock[StripeCount];
        for (int i = 0; i < _stripes.Length; i++)
        {
            _stripes[i] = new Lock();
        }
    }

    /// <summary>Partitions held in memory now (for tests: never above the bound).</summary>
    internal int TrackedPartitions => _states.Count;

    /// <summary>The most partitions held.</summary>
    internal int Capacity => _states.Capacity;

    /// <summary>The meter decisions are counted on, when this limiter counts them.</summary>
    internal Meter? Meter => _metrics?.Meter;

    /// <inheritdoc />
    public ValueTask<QuotaDecision> AcquireAsync(string partition, QuotaPolicy policy, int cost, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(cost, 1);
        QuotaDecision decision = Decide(PartitionKey.Normalize(partition), GcraLimits.From(policy), cost, commit: true).ToDecision();
        _metrics?.Decision(decision);
        return ValueTask.FromResult(decision);
    }

    /// <inheritdoc />
    public ValueTask<QuotaDecision> PeekAsync(string partition, QuotaPolicy policy, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(Decide(PartitionKey.Normalize(partition), GcraLimits.From(policy), 1, commit: false).ToDecision());

    /// <summary>Decides for an already normalized partition key (used directly by the Redis limiter's fallback).</summary>
    internal QuotaVerdict Decide(string key, GcraLimits limits, long cost, bool commit)
    {
        Lock stripe = _stripes[(uint)key.GetHashCode() % StripeCount];
        lock (stripe)
        {
            long now = UnixMicroseconds.Now(_timeProvider);
            _states.TryGet(key, out QuotaState state);
            QuotaVerdict verdict = QuotaMath.Decide(state, limits, cost, now, commit, out QuotaState next);
            if (next != state)
            {
                _states.Set(key, next, TimeToLive(next, now));
            }

            return verdict;
        }
    }

    /// <inheritdoc />
    public void Dispose() => _metrics?.Dispose();

    // Keep the state while it differs from a fresh one: until the bucket is full and, if units were
    // used today, until the day ends.
    private static TimeSpan TimeToLive(QuotaState state, long now)
    {
        long micros = Math.Max(state.Tat - now, 0);
        long today = now / UnixMicroseconds.PerDay;
        if (state.Day == today && state.Used > 0)
        {
            micros = Math.Max(micros, UnixMicroseconds.UntilNextDay(now));
        }

        return TimeSpan.FromTicks(micros * TimeSpan.TicksPerMicrosecond);
    }
}
