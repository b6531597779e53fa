using Microsoft.Extensions.DependencyInjection;
using SessionGate.Grants;
using SessionGate.RateLimiting;
using SessionGate.Verification;

namespace SessionGate.AspNetCore.Grants;

/// <summary>What the grant endpoints work with, resolved from the one composition root.</summary>
internal sealed record GrantEndpointServices(
    GrantVerifier Verifier,
    GrantRegistrar Registrar,
    ChainIdentity Chain,
    IClientBlocker Blocker,
    IQuotaLimiter Quotas,
    ITierResolver Tiers,
    TimeProvider Time)
{
    public static GrantEndpointServices From(IServiceProvider services) => new(
        services.GetRequiredService<GrantVerifier>(),
        services.GetRequiredService<GrantRegistrar>(),
        services.GetRequiredService<ChainIdentity>(),
        services.GetRequiredService<IClientBlocker>(),
        services.GetRequiredService<IQuotaLimiter>(),
        services.GetRequiredService<ITierResolver>(),
        services.GetRequiredService<TimeProvider>());
}
