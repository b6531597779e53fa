using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using SessionGate.Caching;

namespace SessionGate.Balances;

/// <summary>
/// Caches another <see cref="IBalanceSource"/> per account (stale-while-revalidate, single-flight,
/// bounded). With TTL = <see cref="BalanceCacheOptions.Ttl"/> and age counted from when
/// the balance was read:
/// <list type="bullet">
/// <item>age &lt; 80% of TTL: the cached balance, synchronously (no await, no allocation);</item>
/// <item>80% ≤ age &lt; TTL: the cached balance at once, and one background refresh starts (the
/// first caller starts it; callers while it runs just get the cached value), so an account in steady
/// use never waits for the chain;</item>
/// <item>age ≥ TTL, or no entry: the caller waits for a fetch — one per account at a time,
/// concurrent callers share it (single-flight); a caller's cancellation leaves the fetch running for the others;</item>
/// <item>a fetch that fails (the inner source answers Unknown or throws): the last known balance
/// while its age is under <see cref="BalanceCacheOptions.MaxStaleness"/> (past the TTL
/// too), else Unknown — and from then on callers of that account do not wait for the chain: they
/// get that answer synchronously while a background retry runs at most once per retry interval
/// (default the TTL, at most 5 s), until a fetch succeeds.</item>
/// </list>
/// Entries are kept for max(TTL, MaxStaleness) in a <see cref="BoundedCache{TKey,TValue}"/> of
/// <c>capacity</c> accounts, so no sequence of accounts grows memory without bound; fetches in flight
/// are bounded by the callers waiting on them, plus at most <see cref="MaxBackgroundRefreshes"/>
/// background ones. Strings longer than <see cref="MaxAccountLength"/> cannot be accounts: they
/// are answered 0 without a lookup. Callers pass canonical (lowercase) accounts: keys are ordinal.
/// </summary>
internal sealed partial class CachingBalanceSource : IBalanceSource
{
    /// <summary>Accounts cached by default.</summary>
    public const int DefaultCapacity = 100_000;

    /// <summary>Longest string looked up (bech32 strings are at most 90 characters).</summary>
    public const int MaxAccountLength = 128;

    /// <summary>Most background refreshes in flight; beyond it refreshes are skipped (the value is still fresh).</summary>
    public const int MaxBackgroundRefreshes = 256;

    private static readonly TimeSpan MaxDefaultRetryInterval = TimeSpan.FromSeconds(5);

    private readonly IBalanceSource _inner;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;
    private readonly BoundedCache<string, CachedBalance> _cache;
    private readonly ConcurrentDictionary<string, Task<BalanceResult>> _inFlight = new(StringComparer.Ordinal);
    private readonly long _ttl;
    private readonly long _refreshAfter;
    private readonly long _maxStaleness;
    private readonly long _retryInterval;
    private readonly TimeSpan _keepFor;
    private int _backgroundRefreshes;

    /// <summary>Creates the cache in front of <paramref name="inner"/>.</summary>
    /// <param name="inner">The uncached source (e.g. <see cref="CosmosRestBalanceSource"/>).</param>
    /// <param name="options">Uses <see cref="BalanceCacheOptions.Ttl"/> and <see cref="BalanceCacheOptions.MaxStaleness"/>.</param>
    /// <param name="timeProvider">The clock ages are measured on.</param>
    /// <param name="logger">Logs a source that throws.</param>
    /// <param name="capacity">Most accounts held (at least 2). Default <see cref="DefaultCapacity"/>.</param>
    /// <param name="retryInterval">After a failed fetch, how often an account is retried in the background. Default min(TTL, 5 s).</param>
    public CachingBalanceSource(
        IBalanceSource inner,
        BalanceCacheOptions options,
        TimeProvider timeProvider,
        ILogger<CachingBalanceSource> logger,
        int capacity = DefaultCapacity,
        TimeSpan? retryInterval = null)
    {
        ArgumentNullException.ThrowIfNull(inner);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(timeProvider);
        ArgumentNullException.ThrowIfNull(logger);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(options.Ttl, TimeSpan.Zero, nameof(options));
        ArgumentOutOfRangeException.ThrowIfLessThan(options.MaxStaleness, TimeSpan.Zero, nameof(options));
        TimeSpan retry = retryInterval ?? (options.Ttl < MaxDefaultRetryInterval ? options.Ttl : MaxDefaultRetryInterval);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(retry, TimeSpan.Zero, nameof(retryInterval));
        _inner = inner;
        _timeProvider = timeProvider;
        _logger = logger;
        _cache = new BoundedCache<string, CachedBalance>(capacity, timeProvider);
        _ttl = Ticks(options.Ttl);
        _refreshAfter = _ttl * 4 / 5;
        _maxStaleness = Ticks(options.MaxStaleness);
        _retryInterval = Ticks(retry);
        _keepFor = options.MaxStaleness > options.Ttl ? options.MaxStaleness : options.Ttl;
    }

    /// <summary>Accounts held now (for tests and diagnostics).</summary>
    internal int Count => _cache.Count;

    /// <summary>Fetches in flight now (for tests and diagnostics).</summary>
    internal int InFlightCount => _inFlight.Count;

    /// <inheritdoc />
    public ValueTask<BalanceResult> GetBalanceAsync(string account, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(account);
        if (account.Length is 0 or > MaxAccountLength)
        {
            return new ValueTask<BalanceResult>(new BalanceResult(true, 0m, _timeProvider.GetUtcNow()));
        }

        long now = _timeProvider.GetTimestamp();
        if (_cache.TryGet(account, out CachedBalance entry))
        {
            long age = now - entry.ReadAt;
            if (entry.HasValue && age < _ttl)
            {
                if (age >= _refreshAfter && now >= entry.RetryAt)
                {
                    RefreshInBackground(account);
                }

                return new ValueTask<BalanceResult>(entry.ToResult());
            }

            if (entry.LastFetchFailed)
            {
                if (now >= entry.RetryAt)
                {
                    RefreshInBackground(account);
                }

                return new ValueTask<BalanceResult>(Fallback(entry, now));
            }
        }

        return new ValueTask<BalanceResult>(GetOrStartFetch(account).WaitAsync(cancellationToken));
    }

    private long Ticks(TimeSpan span) => (long)(span.TotalSeconds * _timeProvider.TimestampFrequency);

    // After a failed fetch: the last known balance while younger than the staleness limit, else Unknown.
    private BalanceResult Fallback(CachedBalance entry, long now) =>
        entry.HasValue && now - entry.ReadAt < _maxStaleness ? entry.ToResult() : BalanceResult.Unknown;
}
