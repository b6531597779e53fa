using SessionGate.RateLimiting.Quotas;

namespace SessionGate.RateLimiting.Redis;

/// <summary>
/// The shared quota store behind <see cref="RedisQuotaLimiter"/>: one atomic decision per call. A
/// seam so the circuit breaker and failure modes can be tested with a hand-written fake.
/// </summary>
internal interface IQuotaStore
{
    /// <summary>
    /// False while the store knows it cannot reach Redis (its connection is down), before any call has
    /// failed. Cheap: read by every decision spent from a leased block.
    /// </summary>
    bool IsConnected { get; }

    /// <summary>
    /// Decides for the normalized partition <paramref name="key"/> (see <see cref="QuotaMath.Decide"/>).
    /// Throws <see cref="Storage.Redis.RedisUnavailableException"/> or a <c>RedisException</c> when
    /// the store cannot decide; never takes longer than the store's operation timeout.
    /// </summary>
    Task<QuotaVerdict> DecideAsync(string key, GcraLimits limits, long cost, bool commit, CancellationToken cancellationToken);

    /// <summary>
    /// Gives <paramref name="giveBack"/> back, then commits <paramref name="cost"/> exactly as
    /// <see cref="DecideAsync"/> does and, when allowed, leases up to <paramref name="block"/> more
    /// units, all in one atomic call (see <see cref="LeaseMath.Decide"/>). Throws as <see cref="DecideAsync"/>.
    /// </summary>
    Task<LeaseVerdict> LeaseAsync(string key, GcraLimits limits, long cost, long block, LeaseReturn giveBack, CancellationToken cancellationToken);
}
