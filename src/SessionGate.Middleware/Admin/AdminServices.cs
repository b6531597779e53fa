using SessionGate.Configuration;
using SessionGate.Keys;
using SessionGate.RateLimiting;
using SessionGate.RateLimiting.Tiers;
using SessionGate.Usage;
using SessionGate.Verification;
using SessionGate.Balances;
using SessionGate.DependencyInjection;

namespace SessionGate.Admin;

/// <summary>What the admin handlers work with: the components' own stores (one instance each, as the gateway uses them).</summary>
internal sealed record AdminServices(
    SessionGateOptions Options,
    ISignerKeyDirectory Directory,
    IClientBlocker Blocker,
    IBalanceSource Balances,
    ITierOverrideStore TierOverrides,
    TierResolver Tiers,
    IQuotaLimiter Quotas,
    IUsageTracker Usage,
    TimeProvider Time)
{
    /// <summary>The services of the components the gateway runs with.</summary>
    public static AdminServices From(SessionGateOptions options, SessionGateComponents components, TimeProvider time)
    {
        var tiers = components.Tiers as TierResolver
            ?? throw new InvalidOperationException("The admin API needs SessionGate's own tier resolver.");
        return new AdminServices(options, components.Directory, components.Blocker, components.Balances, components.TierOverrides, tiers, components.QuotaLimiter, components.Usage, time);
    }
}
