namespace SessionGate.Usage;

/// <summary>
/// The bounds of the quota history. Per minute and per gateway instance, at most this many distinct
/// names are counted individually in each dimension; further traffic goes to the dimension's "other"
/// bucket. In memory the worst case is <see cref="RetainedMinutes"/> minutes × (the sum of the caps)
/// names (about 450 × 1440 ≈ 650,000 counters with the defaults); typical traffic is far below.
/// The gateway takes the caps from <c>SessionGate:History</c> (<see cref="UsageHistoryOptions"/>).
/// </summary>
/// <param name="MaxAccountsPerMinute">Accounts counted individually per minute (accounts are bounded by the key directory; the cap bounds memory).</param>
/// <param name="MaxPrefixesPerMinute">Anonymous address prefixes per minute (client-controlled, so kept small).</param>
/// <param name="MaxRoutesPerMinute">Routes per minute (bounded by configuration).</param>
/// <param name="MaxMethodsPerMinute">JSON-RPC methods per minute (method names come from request bodies).</param>
public sealed record UsageHistoryLimits(
    int MaxAccountsPerMinute = 256,
    int MaxPrefixesPerMinute = 64,
    int MaxRoutesPerMinute = 64,
    int MaxMethodsPerMinute = 64)
{
    /// <summary>Minutes kept: 24 hours.</summary>
    public const int RetainedMinutes = 1440;

    /// <summary>Longest route id or method name counted by name; longer ones count as "other".</summary>
    public const int MaxNameLength = 100;

    /// <summary>The defaults.</summary>
    public static UsageHistoryLimits Default { get; } = new();

    /// <summary>The cap of <paramref name="dimension"/>.</summary>
    internal int CapOf(HistoryDimension dimension) => dimension switch
    {
        HistoryDimension.Account => MaxAccountsPerMinute,
        HistoryDimension.Prefix => MaxPrefixesPerMinute,
        HistoryDimension.Route => MaxRoutesPerMinute,
        _ => MaxMethodsPerMinute,
    };

    /// <summary>Throws when a cap is below 1.</summary>
    internal void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxAccountsPerMinute, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxPrefixesPerMinute, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxRoutesPerMinute, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxMethodsPerMinute, 1);
    }
}

/// <summary>The named dimensions of a minute's rollup.</summary>
internal enum HistoryDimension
{
    Account = 0,
    Prefix = 1,
    Route = 2,
    Method = 3,
}
