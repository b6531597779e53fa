using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using SessionGate.AspNetCore.Configuration;
using SessionGate.AspNetCore.Grants;
using SessionGate.Chain;
using SessionGate.Grants;
using SessionGate.Keys;

namespace SessionGate.AspNetCore.DependencyInjection;

/// <summary>Wallet-signed grants: the verifier, the registrar over the registered key directory, the chain id.</summary>
internal static class GrantRegistrations
{
    public static void AddSessionGateGrants(this IServiceCollection services)
    {
        // A registered IChainIdSource wins; else the block feed, when it knows its chain (the dev chain
        // and the Tendermint feed do); else ChainIdentity falls back to SessionGate:Chain:ChainId.
        services.TryAddSingleton(sp => new ChainIdentity(
            sp.GetService<IChainIdSource>() ?? sp.GetRequiredService<IBlockFeed>() as IChainIdSource,
            sp.GetSessionGateOptions().Chain));
        services.TryAddSingleton(sp => new GrantVerifier(Policy(sp.GetSessionGateOptions()), sp.GetRequiredService<TimeProvider>()));
        services.TryAddSingleton(sp => new GrantRegistrar(
            sp.GetRequiredService<ISignerKeyDirectory>(),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetSessionGateOptions().Grants.MaxKeysPerAccount));
    }

    private static GrantPolicy Policy(SessionGateOptions options) => new()
    {
        Domain = options.Grants.Domain ?? "",
        AddressPrefix = options.AddressPrefix,
        ClockSkew = options.Grants.ClockSkew,
        MaxLifetime = options.Grants.MaxLifetime,
        UseCases = options.Grants.EffectiveUseCases,
        MaxKeysPerAccount = options.Grants.MaxKeysPerAccount,
    };
}
