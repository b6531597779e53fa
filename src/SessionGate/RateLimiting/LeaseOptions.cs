namespace SessionGate.RateLimiting;

/// <summary>
/// <c>SessionGate:RateLimiting:Leases</c>: permits leased from the shared (Redis) bucket in blocks and
/// spent locally, so most decisions of a busy account send nothing to Redis (docs/configuration.md,
/// "Leased permits"). Only the Redis limiter leases; anonymous per-address partitions never do.
/// </summary>
public sealed record LeaseOptions
{
    /// <summary>
    /// Whether accounts lease blocks of permits. Default true. False: every decision of an account is
    /// one script call (group-committed), exact to the unit, and nothing is ever held by an instance.
    /// Held blocks are not spent while Redis is failing, so <see cref="RedisFailureMode"/> answers as
    /// without leasing once a call to Redis has failed.
    /// </summary>
    public bool Enabled { get; init; } = true;

    /// <summary>
    /// How long a leased block may be spent; its unspent units are then given back with the
    /// partition's next decision (or lapse). Also the rate term of the block size: a block never holds
    /// more than the account earns in this time. Default 10 s; between 100 ms and 1 minute.
    /// </summary>
    public TimeSpan Duration { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Most units in one block. Default 1,000; between 2 and 1,000,000.</summary>
    public int MaxBlock { get; init; } = 1000;

    /// <summary>
    /// The burst share: a block holds at most Burst ÷ (InstanceCount × BurstDivisor) units, so all
    /// instances together hold at most 1/BurstDivisor of a burst. Default 10; between 2 and 1,000.
    /// </summary>
    public int BurstDivisor { get; init; } = 10;
}
