namespace SessionGate.RateLimiting;

/// <summary>Which limits a caller gets: tier by balance, an operator's per-account override, or the anonymous limits.</summary>
public interface ITierResolver
{
    /// <summary>The limits of anonymous callers.</summary>
    QuotaPolicy Anonymous { get; }

    /// <summary>
    /// The tier of <paramref name="account"/>: its override if one is set, else the highest tier its
    /// balance reaches, else (balance unknown) the lowest tier. Never throws for chain trouble.
    /// </summary>
    ValueTask<QuotaPolicy> ResolveAsync(string account, CancellationToken cancellationToken = default);
}

/// <summary>Per-account tier overrides set by operators (admin API), shared through Redis when configured.</summary>
public interface ITierOverrideStore
{
    /// <summary>The overriding tier name of an account, or null.</summary>
    ValueTask<string?> GetAsync(string account, CancellationToken cancellationToken = default);

    /// <summary>Sets (or, with null, removes) an account's override.</summary>
    Task SetAsync(string account, string? tierName, CancellationToken cancellationToken = default);
}
