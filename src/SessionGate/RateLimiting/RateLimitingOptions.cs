namespace SessionGate.RateLimiting;

/// <summary>The <c>SessionGate:RateLimiting</c> configuration section (DESIGN §5).</summary>
public sealed record RateLimitingOptions
{
    /// <summary>Limits of callers without a session, per client IP.</summary>
    public AnonymousLimits Anonymous { get; init; } = new();

    /// <summary>
    /// Tiers by balance (whole tokens); the highest tier whose MinBalance the balance reaches wins.
    /// Empty means the defaults of DESIGN §5 (free 60/min, holder ≥ 1,000: 600/min, whale ≥ 100,000: 6,000/min).
    /// </summary>
    public IReadOnlyList<TierDefinition> Tiers { get; init; } = [];

    /// <summary>
    /// Shadow mode for every caller (anonymous and every tier): decisions are made and counted, nothing
    /// is refused. Default false. A tier's own <see cref="TierDefinition.Shadow"/>, the anonymous
    /// limits' and a route's <c>SessionGate.Shadow</c> switch it on for part of the traffic.
    /// </summary>
    public bool Shadow { get; init; }

    /// <summary>
    /// Whether responses decided in shadow mode carry the RateLimit headers (what the limits would
    /// report). Default false: in shadow mode clients see no change at all.
    /// </summary>
    public bool ShadowHeaders { get; init; }

    /// <summary>
    /// A granted decision is "near the limit" (the <c>sessiongate.ratelimit.near_limit</c> counter,
    /// Envoy's <c>near_limit</c>) when it leaves less than 1 − ratio of a budget: with the default
    /// 0.8, less than 20 % of the burst bucket or of the daily budget. Greater than 0, at most 1.
    /// </summary>
    public double NearLimitRatio { get; init; } = 0.8;

    /// <summary>What happens when Redis cannot be reached. Default <see cref="RedisFailureMode.LocalFallback"/>.</summary>
    public RedisFailureMode RedisFailureMode { get; init; } = RedisFailureMode.LocalFallback;

    /// <summary>
    /// Gateway instances sharing the quota. In <see cref="RedisFailureMode.LocalFallback"/> each instance
    /// allows 1/InstanceCount of every limit while Redis is down, so together they stay near the quota. Default 1.
    /// </summary>
    public int InstanceCount { get; init; } = 1;

    /// <summary>How long a balance is cached per account. Default 60 s.</summary>
    public TimeSpan BalanceCacheTtl { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>How long the last known balance is used while the chain is unreachable; then the lowest tier applies. Default 10 minutes.</summary>
    public TimeSpan BalanceMaxStaleness { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary><see cref="BalanceCacheTtl"/> and <see cref="BalanceMaxStaleness"/>, as the balance cache takes them.</summary>
    public Balances.BalanceCacheOptions BalanceCache => new() { Ttl = BalanceCacheTtl, MaxStaleness = BalanceMaxStaleness };

    /// <summary>After a Redis failure, how long the limiter stays on the fallback before trying Redis again (circuit breaker). Default 5 s.</summary>
    public TimeSpan RedisRetryInterval { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Permits leased in blocks from Redis and spent locally (<c>SessionGate:RateLimiting:Leases</c>).</summary>
    public LeaseOptions Leases { get; init; } = new();

    /// <summary>Most partitions (accounts and addresses) tracked in memory by the local limiter, and most accounts holding a leased block. Default 100,000.</summary>
    public int MaxLocalPartitions { get; init; } = 100_000;

    /// <summary>The tier table in force: <see cref="Tiers"/>, or the DESIGN §5 defaults when empty, ordered by MinBalance.</summary>
    public IReadOnlyList<TierDefinition> EffectiveTiers => (Tiers.Count > 0 ? Tiers : DefaultTiers).OrderBy(t => t.MinBalance).ToArray();

    /// <summary>The DESIGN §5 tier table.</summary>
    public static IReadOnlyList<TierDefinition> DefaultTiers { get; } =
    [
        new() { Name = "free", MinBalance = 0, PermitsPerMinute = 60, Burst = 20 },
        new() { Name = "holder", MinBalance = 1000, PermitsPerMinute = 600, Burst = 100 },
        new() { Name = "whale", MinBalance = 100_000, PermitsPerMinute = 6000, Burst = 1000 },
    ];
}
