namespace SessionGate.Balances;

/// <summary>
/// How long balances are cached (configured as <c>SessionGate:RateLimiting:BalanceCacheTtl</c> and
/// <c>BalanceMaxStaleness</c>, next to the tiers they decide).
/// </summary>
public sealed record BalanceCacheOptions
{
    /// <summary>Age after which a cached balance is refreshed (in the background, served meanwhile). Default 60 s.</summary>
    public TimeSpan Ttl { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Longest a stale balance is served while the chain cannot be reached. Default 10 minutes.</summary>
    public TimeSpan MaxStaleness { get; init; } = TimeSpan.FromMinutes(10);
}
