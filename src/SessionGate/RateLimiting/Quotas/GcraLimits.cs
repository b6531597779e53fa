namespace SessionGate.RateLimiting.Quotas;

/// <summary>
/// A <see cref="QuotaPolicy"/> in the integer units the quota arithmetic works in (microseconds and
/// cost units), shared by the in-memory limiter and the Redis script so both decide identically.
/// </summary>
/// <remarks>
/// The emission interval (time to earn one cost unit) is rounded <b>up</b> to a whole microsecond, so
/// the sustained rate is never above <see cref="QuotaPolicy.PermitsPerMinute"/>; for rates that divide
/// 60,000,000 (10, 60, 600, 6000 per minute …) it is exact, otherwise at most 1 µs per unit slower.
/// Keeping every quantity an integer below 2^53 is what lets the Lua script (whose numbers are
/// doubles) compute exactly what C# computes; the bounds below guarantee it.
/// </remarks>
internal readonly record struct GcraLimits
{
    /// <summary>Microseconds in a minute.</summary>
    public const long MicrosecondsPerMinute = 60_000_000;

    /// <summary>Highest accepted rate: one cost unit per microsecond.</summary>
    public const int MaxPermitsPerMinute = 60_000_000;

    /// <summary>Highest accepted burst: keeps Burst × interval (≤ 6·10^15 µs) plus a Unix time below 2^53.</summary>
    public const int MaxBurst = 100_000_000;

    /// <summary>Highest accepted daily budget (far below 2^53).</summary>
    public const long MaxDailyQuota = 1L << 50;

    private GcraLimits(long emissionInterval, long capacity, long dailyQuota)
    {
        EmissionInterval = emissionInterval;
        Capacity = capacity;
        DailyQuota = dailyQuota;
    }

    /// <summary>Microseconds to earn one cost unit (at least 1).</summary>
    public long EmissionInterval { get; }

    /// <summary>Bucket depth in microseconds: Burst × <see cref="EmissionInterval"/> (the time a full bucket needs to refill from empty).</summary>
    public long Capacity { get; }

    /// <summary>Cost units per UTC day, or 0 for no daily budget.</summary>
    public long DailyQuota { get; }

    /// <summary>
    /// Every limit of <paramref name="policy"/> outside the supported range, as messages naming the
    /// setting (for start-up validation of the tier table: bad configuration must stop the host,
    /// never surface as a failed request). Empty when the policy is usable.
    /// </summary>
    public static IEnumerable<string> Validate(QuotaPolicy policy)
    {
        ArgumentNullException.ThrowIfNull(policy);
        if (policy.PermitsPerMinute is < 1 or > MaxPermitsPerMinute)
        {
            yield return $"PermitsPerMinute must be between 1 and {MaxPermitsPerMinute}; it is {policy.PermitsPerMinute}.";
        }

        if (policy.Burst is < 1 or > MaxBurst)
        {
            yield return $"Burst must be between 1 and {MaxBurst}; it is {policy.Burst}.";
        }

        if (policy.DailyQuota is < 1 or > MaxDailyQuota)
        {
            yield return $"DailyQuota must be absent or between 1 and {MaxDailyQuota}; it is {policy.DailyQuota}.";
        }
    }

    /// <summary>
    /// The limits of <paramref name="policy"/>, each divided by <paramref name="divisor"/> (rounded down,
    /// at least 1): the share of one instance when <paramref name="divisor"/> instances limit locally.
    /// </summary>
    /// <exception cref="ArgumentException">A limit is outside the supported range.</exception>
    public static GcraLimits From(QuotaPolicy policy, int divisor = 1)
    {
        ArgumentNullException.ThrowIfNull(policy);
        if (policy.PermitsPerMinute is < 1 or > MaxPermitsPerMinute || policy.Burst is < 1 or > MaxBurst || policy.DailyQuota is < 1 or > MaxDailyQuota)
        {
            throw new ArgumentException($"Policy '{policy.Name}': {string.Join(" ", Validate(policy))}", nameof(policy));
        }

        divisor = Math.Max(1, divisor);
        long permits = Math.Max(1, policy.PermitsPerMinute / divisor);
        long burst = Math.Max(1, policy.Burst / divisor);
        long daily = policy.DailyQuota is { } quota ? Math.Max(1, quota / divisor) : 0;
        long interval = (MicrosecondsPerMinute + permits - 1) / permits;
        return new GcraLimits(interval, burst * interval, daily);
    }
}
