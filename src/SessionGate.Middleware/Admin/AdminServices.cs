using SessionGate.AspNetCore.Configuration;
using SessionGate.Keys;
using SessionGate.RateLimiting;
using SessionGate.AspNetCore.RateLimiting;
using SessionGate.RateLimiting.Tiers;
using SessionGate.Usage;
using SessionGate.Verification;
using SessionGate.Balances;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace SessionGate.AspNetCore.Admin;

/// <summary>
/// What the admin handlers work with: the registered seams (the same instances the gateway's request
/// path and workers use, whoever implemented them) and the tier table.
/// </summary>
internal sealed record AdminServices(
    SessionGateOptions Options,
    ISignerKeyDirectory Directory,
    IClientBlocker Blocker,
    IBalanceSource Balances,
    ITierOverrideStore TierOverrides,
    TierCatalog Tiers,
    IQuotaLimiter Quotas,
    IUsageTracker Usage,
    IUsageHistory History,
    TimeProvider Time)
{
    /// <summary>The services registered in <paramref name="services"/>.</summary>
    public static AdminServices From(IServiceProvider services) => new(
        services.GetRequiredService<IOptions<SessionGateOptions>>().Value,
        services.GetRequiredService<ISignerKeyDirectory>(),
        services.GetRequiredService<IClientBlocker>(),
        services.GetRequiredService<IBalanceSource>(),
        services.GetRequiredService<ITierOverrideStore>(),
        services.GetRequiredService<TierCatalog>(),
        services.GetRequiredService<IQuotaLimiter>(),
        services.GetRequiredService<IUsageTracker>(),
        services.GetRequiredService<IUsageHistory>(),
        services.GetRequiredService<TimeProvider>());
}
