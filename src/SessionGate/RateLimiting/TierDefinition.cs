namespace SessionGate.RateLimiting;

/// <summary>
/// A row of <c>SessionGate:RateLimiting:Tiers</c>: callers whose balance reaches
/// <see cref="MinBalance"/> (whole tokens) get these limits; the highest matching tier wins.
/// </summary>
public sealed record TierDefinition
{
    /// <summary>Tier name, e.g. <c>holder</c>.</summary>
    public string Name { get; init; } = "";

    /// <summary>Balance in whole tokens needed for this tier.</summary>
    public decimal MinBalance { get; init; }

    /// <summary>Sustained rate.</summary>
    public int PermitsPerMinute { get; init; }

    /// <summary>Burst allowance.</summary>
    public int Burst { get; init; }

    /// <summary>Optional daily budget in cost units.</summary>
    public long? DailyQuota { get; init; }

    /// <summary>Shadow mode for this tier: decide and count, never refuse. Default false.</summary>
    public bool Shadow { get; init; }

    /// <summary>The limits of this tier.</summary>
    public QuotaPolicy ToPolicy() => new(Name, PermitsPerMinute, Burst, DailyQuota) { Shadow = Shadow };
}

/// <summary>The limits of anonymous callers (per client IP): <c>SessionGate:RateLimiting:Anonymous</c>.</summary>
public sealed record AnonymousLimits
{
    /// <summary>Sustained rate. Default 10 per minute.</summary>
    public int PermitsPerMinute { get; init; } = 10;

    /// <summary>Burst allowance. Default 5.</summary>
    public int Burst { get; init; } = 5;

    /// <summary>Optional daily budget.</summary>
    public long? DailyQuota { get; init; }

    /// <summary>Shadow mode for anonymous callers: decide and count, never refuse. Default false.</summary>
    public bool Shadow { get; init; }

    /// <summary>The limits as a policy named <c>anonymous</c>.</summary>
    public QuotaPolicy ToPolicy() => new("anonymous", PermitsPerMinute, Burst, DailyQuota) { Shadow = Shadow };
}
