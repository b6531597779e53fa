namespace SessionGate.RateLimiting;

/// <summary>
/// The limits one caller gets: a sustained rate with a burst allowance (GCRA: a token bucket of
/// <see cref="Burst"/> tokens refilled at <see cref="PermitsPerMinute"/> per minute) and an optional
/// daily budget (a second bucket that resets at 00:00 UTC, like Infura's daily credits).
/// </summary>
/// <param name="Name">Tier name shown in RateLimit headers, e.g. <c>holder</c> or <c>anonymous</c>.</param>
/// <param name="PermitsPerMinute">Sustained rate (cost units per minute), at least 1.</param>
/// <param name="Burst">Most cost units that can be spent at once after idling, at least 1.</param>
/// <param name="DailyQuota">Cost units per UTC day, or null for no daily budget.</param>
public sealed record QuotaPolicy(string Name, int PermitsPerMinute, int Burst, long? DailyQuota = null)
{
    /// <summary>
    /// Shadow mode (Envoy's <c>shadow_mode</c>): decisions are made against these limits and counted
    /// (metrics, usage, would-be refusals per account) but a request they would refuse is served. Set
    /// by <c>SessionGate:RateLimiting:Shadow</c>, a tier's or the anonymous limits' <c>Shadow</c>, or a
    /// route's <c>SessionGate.Shadow</c>. Part of equality, so a shadow and an enforced variant of one
    /// tier are different rate-limiter partitions (over the same budget).
    /// </summary>
    public bool Shadow { get; init; }
}
