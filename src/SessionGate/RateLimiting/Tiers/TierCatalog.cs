using System.Collections.Frozen;

namespace SessionGate.RateLimiting.Tiers;

/// <summary>
/// The tier table in force (<c>SessionGate:RateLimiting:Tiers</c>) and the anonymous limits: which
/// tier a balance reaches and which tier a name means. Pure configuration, shared by the
/// <see cref="TierResolver"/> and the admin API (which checks an override's tier before setting it).
/// </summary>
public sealed class TierCatalog
{
    private readonly QuotaPolicy[] _policies;
    private readonly decimal[] _minBalances;
    private readonly FrozenDictionary<string, QuotaPolicy> _byName;

    /// <summary>Creates the catalog of <paramref name="options"/>.</summary>
    /// <exception cref="ArgumentException">The tier policy is invalid (every problem listed; see <see cref="TierPolicyValidation"/>).</exception>
    public TierCatalog(RateLimitingOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        IReadOnlyList<string> errors = TierPolicyValidation.Validate(options);
        if (errors.Count > 0)
        {
            throw new ArgumentException("Invalid rate limiting options: " + string.Join(" ", errors), nameof(options));
        }

        Tiers = options.EffectiveTiers;
        _policies = [.. Tiers.Select(t => options.Shadow ? t.ToPolicy() with { Shadow = true } : t.ToPolicy())];
        _minBalances = [.. Tiers.Select(t => t.MinBalance)];
        _byName = _policies.ToFrozenDictionary(p => p.Name, StringComparer.OrdinalIgnoreCase);
        QuotaPolicy anonymous = (options.Anonymous ?? new AnonymousLimits()).ToPolicy();
        Anonymous = options.Shadow ? anonymous with { Shadow = true } : anonymous;
        ShadowHeaders = options.ShadowHeaders;
        NearLimitRatio = options.NearLimitRatio;
    }

    /// <summary>Whether responses decided in shadow mode carry RateLimit headers (<see cref="RateLimitingOptions.ShadowHeaders"/>).</summary>
    public bool ShadowHeaders { get; }

    /// <summary>The near-limit ratio of <see cref="RateLimitingOptions.NearLimitRatio"/>.</summary>
    public double NearLimitRatio { get; }

    /// <summary>The limits of anonymous callers.</summary>
    public QuotaPolicy Anonymous { get; }

    /// <summary>The tier table in force, ordered by MinBalance (for listings such as <c>/methods</c>).</summary>
    public IReadOnlyList<TierDefinition> Tiers { get; }

    /// <summary>The lowest tier: what an account with an unknown balance gets.</summary>
    public QuotaPolicy Lowest => _policies[0];

    /// <summary>The tier named <paramref name="name"/> (ignoring case), e.g. to check an override before setting it.</summary>
    public bool TryGetTier(string name, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out QuotaPolicy? policy) => _byName.TryGetValue(name, out policy);

    /// <summary>The tier of a balance (Unknown → the lowest tier).</summary>
    public QuotaPolicy ForBalance(Balances.BalanceResult balance)
    {
        if (!balance.Known)
        {
            return _policies[0];
        }

        for (int i = _minBalances.Length - 1; i > 0; i--)
        {
            if (balance.Balance >= _minBalances[i])
            {
                return _policies[i];
            }
        }

        return _policies[0];
    }
}
