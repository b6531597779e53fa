namespace SessionGate.Balances;

/// <summary>
/// An account's token balance (KEX). Implementations cache per account with a TTL, refresh in the
/// background before expiry (stale-while-revalidate) and fetch one account at a time (single-flight).
/// </summary>
public interface IBalanceSource
{
    /// <summary>
    /// The balance in whole tokens (e.g. KEX = ukex / 10^6), or a result saying it is unknown (the
    /// chain unreachable and no usable cached value): callers then fall back to the lowest tier,
    /// never to "unlimited". Never throws for chain trouble.
    /// </summary>
    ValueTask<BalanceResult> GetBalanceAsync(string account, CancellationToken cancellationToken = default);
}

/// <summary>A balance lookup result.</summary>
/// <param name="Known">False when no usable balance is available.</param>
/// <param name="Balance">Whole tokens (fractional part kept), when known.</param>
/// <param name="AsOf">When the balance was read from the chain.</param>
public readonly record struct BalanceResult(bool Known, decimal Balance, DateTimeOffset AsOf)
{
    /// <summary>No usable balance.</summary>
    public static BalanceResult Unknown => new(false, 0m, default);
}
