namespace SessionGate.Usage;

/// <summary>
/// The <c>SessionGate:History</c> section: how many names each dimension of the quota history counts
/// individually per minute and gateway instance (<see cref="UsageHistoryLimits"/>); traffic beyond a
/// cap is counted in the dimension's "other" bucket. Memory without Redis is bounded by
/// <see cref="UsageHistoryLimits.RetainedMinutes"/> × the sum of the caps named counters (about
/// 650,000 with the defaults, 19 million at the upper bounds); with Redis the caps bound the fields
/// of each hour's top-list hash and the per-account keys.
/// </summary>
public sealed class UsageHistoryOptions
{
    /// <summary>Largest <see cref="MaxAccountsPerMinute"/>.</summary>
    public const int MaxAccountsLimit = 10_000;

    /// <summary>Largest <see cref="MaxPrefixesPerMinute"/>, <see cref="MaxRoutesPerMinute"/> and <see cref="MaxMethodsPerMinute"/>.</summary>
    public const int MaxNamesLimit = 1_000;

    /// <summary>Accounts counted by name per minute, 1 to 10,000. Default 256.</summary>
    public int MaxAccountsPerMinute { get; set; } = UsageHistoryLimits.Default.MaxAccountsPerMinute;

    /// <summary>Anonymous address prefixes (/24, /48) counted by name per minute, 1 to 1,000. Default 64.</summary>
    public int MaxPrefixesPerMinute { get; set; } = UsageHistoryLimits.Default.MaxPrefixesPerMinute;

    /// <summary>Routes counted by name per minute, 1 to 1,000. Default 64.</summary>
    public int MaxRoutesPerMinute { get; set; } = UsageHistoryLimits.Default.MaxRoutesPerMinute;

    /// <summary>JSON-RPC method entries counted by name per minute, 1 to 1,000. Default 64.</summary>
    public int MaxMethodsPerMinute { get; set; } = UsageHistoryLimits.Default.MaxMethodsPerMinute;

    /// <summary>The limits these options describe (call after <see cref="Validate"/> found nothing).</summary>
    public UsageHistoryLimits ToLimits() => new(MaxAccountsPerMinute, MaxPrefixesPerMinute, MaxRoutesPerMinute, MaxMethodsPerMinute);

    /// <summary>Every problem of these options, each naming its key under <paramref name="section"/>.</summary>
    public IEnumerable<string> Validate(string section)
    {
        if (MaxAccountsPerMinute is < 1 or > MaxAccountsLimit)
        {
            yield return $"{section}:MaxAccountsPerMinute must be from 1 to {MaxAccountsLimit} (was {MaxAccountsPerMinute}).";
        }

        foreach ((string key, int value) in new[] { ("MaxPrefixesPerMinute", MaxPrefixesPerMinute), ("MaxRoutesPerMinute", MaxRoutesPerMinute), ("MaxMethodsPerMinute", MaxMethodsPerMinute) })
        {
            if (value is < 1 or > MaxNamesLimit)
            {
                yield return $"{section}:{key} must be from 1 to {MaxNamesLimit} (was {value}).";
            }
        }
    }
}
