using System.Globalization;

namespace SessionGate.RateLimiting.Tiers;

/// <summary>
/// Start-up checks of the tier policy part of <c>SessionGate:RateLimiting</c>: <c>Tiers</c>,
/// <c>Anonymous</c>, <c>BalanceCacheTtl</c>, <c>BalanceMaxStaleness</c>, <c>NearLimitRatio</c> and <c>Leases</c>. (The limiter's own keys —
/// RedisFailureMode, InstanceCount, RedisRetryInterval, MaxLocalPartitions — are checked with the
/// limiter.) Every rule runs, so all problems are reported at once, each naming its key, e.g.
/// <c>SessionGate:RateLimiting:Tiers:1:Burst must be at least 1, not 0.</c> Indices are those of the
/// configuration, not of the sorted table.
/// </summary>
internal static class TierPolicyValidation
{
    /// <summary>The configuration section of <see cref="RateLimitingOptions"/>.</summary>
    public const string SectionName = "SessionGate:RateLimiting";

    private static readonly TimeSpan MaxPeriod = TimeSpan.FromDays(1);

    /// <summary>One message per problem; empty when the options are usable.</summary>
    public static IReadOnlyList<string> Validate(RateLimitingOptions options, string section = SectionName)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = new List<string>();
        ValidateTiers(options.Tiers ?? [], section + ":Tiers", errors);

        AnonymousLimits anonymous = options.Anonymous ?? new AnonymousLimits();
        ValidateLimits($"{section}:Anonymous", anonymous.PermitsPerMinute, anonymous.Burst, anonymous.DailyQuota, errors);
        if (anonymous.DailyQuotaBuckets is < 1 or > 16_777_216)
        {
            errors.Add($"{section}:Anonymous:DailyQuotaBuckets must be between 1 and 16777216, not {anonymous.DailyQuotaBuckets}.");
        }

        if (anonymous.DailyQuotaIPv4PrefixLength is < 8 or > 32)
        {
            errors.Add($"{section}:Anonymous:DailyQuotaIPv4PrefixLength must be between 8 and 32, not {anonymous.DailyQuotaIPv4PrefixLength}.");
        }

        if (anonymous.DailyQuotaIPv6PrefixLength is < 16 or > 128)
        {
            errors.Add($"{section}:Anonymous:DailyQuotaIPv6PrefixLength must be between 16 and 128, not {anonymous.DailyQuotaIPv6PrefixLength}.");
        }

        if (options.BalanceCacheTtl <= TimeSpan.Zero || options.BalanceCacheTtl > MaxPeriod)
        {
            errors.Add($"{section}:BalanceCacheTtl must be a positive time span of at most 1 day (e.g. \"00:01:00\"), not {options.BalanceCacheTtl}.");
        }

        if (options.BalanceMaxStaleness < TimeSpan.Zero || options.BalanceMaxStaleness > MaxPeriod)
        {
            errors.Add($"{section}:BalanceMaxStaleness must be between 00:00:00 and 1 day (e.g. \"00:10:00\"), not {options.BalanceMaxStaleness}.");
        }

        if (!(options.NearLimitRatio > 0 && options.NearLimitRatio <= 1))
        {
            errors.Add($"{section}:NearLimitRatio must be greater than 0 and at most 1 (e.g. 0.8), not {options.NearLimitRatio.ToString(CultureInfo.InvariantCulture)}.");
        }

        ValidateLeases(options.Leases ?? new LeaseOptions(), section + ":Leases", errors);
        return errors;
    }

    private static void ValidateLeases(LeaseOptions leases, string at, List<string> errors)
    {
        if (leases.Duration < TimeSpan.FromMilliseconds(100) || leases.Duration > TimeSpan.FromMinutes(1))
        {
            errors.Add($"{at}:Duration must be between 00:00:00.1 and 00:01:00 (e.g. \"00:00:10\"), not {leases.Duration}.");
        }

        if (leases.MaxBlock is < 2 or > 1_000_000)
        {
            errors.Add($"{at}:MaxBlock must be between 2 and 1000000, not {leases.MaxBlock}.");
        }

        if (leases.BurstDivisor is < 2 or > 1000)
        {
            errors.Add($"{at}:BurstDivisor must be between 2 and 1000, not {leases.BurstDivisor}.");
        }
    }

    private static void ValidateTiers(IReadOnlyList<TierDefinition?> tiers, string at, List<string> errors)
    {
        var names = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        var minimums = new Dictionary<decimal, int>();
        for (int i = 0; i < tiers.Count; i++)
        {
            string key = $"{at}:{i.ToString(CultureInfo.InvariantCulture)}";
            TierDefinition? tier = tiers[i];
            if (tier is null)
            {
                errors.Add($"{key} must be a tier with Name, MinBalance, PermitsPerMinute and Burst.");
                continue;
            }

            if (string.IsNullOrWhiteSpace(tier.Name))
            {
                errors.Add($"{key}:Name must not be empty.");
            }
            else if (!TierOverrideRules.IsTierName(tier.Name))
            {
                errors.Add($"{key}:Name must be at most {TierOverrideRules.MaxTierNameLength} printable ASCII characters without quotes or backslashes (it is sent in RateLimit headers).");
            }
            else if (!names.TryAdd(tier.Name, i))
            {
                errors.Add($"{key}:Name \"{tier.Name}\" is also the name of {at}:{names[tier.Name]} (names are compared ignoring case).");
            }

            if (tier.MinBalance < 0)
            {
                errors.Add($"{key}:MinBalance must not be negative, not {tier.MinBalance.ToString(CultureInfo.InvariantCulture)}.");
            }
            else if (!minimums.TryAdd(tier.MinBalance, i))
            {
                errors.Add($"{key}:MinBalance {tier.MinBalance.ToString(CultureInfo.InvariantCulture)} is also the MinBalance of {at}:{minimums[tier.MinBalance]}.");
            }

            ValidateLimits(key, tier.PermitsPerMinute, tier.Burst, tier.DailyQuota, errors);
        }
    }

    private static void ValidateLimits(string key, int permitsPerMinute, int burst, long? dailyQuota, List<string> errors)
    {
        if (permitsPerMinute < 1)
        {
            errors.Add($"{key}:PermitsPerMinute must be at least 1, not {permitsPerMinute}.");
        }

        if (burst < 1)
        {
            errors.Add($"{key}:Burst must be at least 1, not {burst}.");
        }

        if (dailyQuota is < 1)
        {
            errors.Add($"{key}:DailyQuota must be at least 1 when set, not {dailyQuota}.");
        }
    }
}
