using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SessionGate;
using SessionGate.Authentication;
using SessionGate.Chain;
using SessionGate.Configuration;
using SessionGate.DependencyInjection;
using SessionGate.Hosting;
using SessionGate.Keys;
using SessionGate.Keys.Redis;
using SessionGate.Metrics;
using SessionGate.Verification;
using SessionGate.Verification.Blocking;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using SessionGate.RateLimiting;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers SessionGate's services.</summary>
public static class SessionGateServiceCollectionExtensions
{
    /// <summary>
    /// Adds SessionGate, bound to the <c>SessionGate</c> configuration section and validated at
    /// start-up (every error reported at once). Without <c>SessionGate:Redis</c> every store is in
    /// memory (one instance); with it, instances share keys, blocks, blocks of clients and quotas.
    /// </summary>
    public static ISessionGateBuilder AddSessionGate(this IServiceCollection services, Action<SessionGateOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        bool alreadyAdded = services.Any(d => d.ServiceType == typeof(SessionGateComponents));
        OptionsBuilder<SessionGateOptions> options = alreadyAdded
            ? services.AddOptions<SessionGateOptions>()
            : services.AddOptions<SessionGateOptions>().BindConfiguration(SessionGateOptions.SectionName);
        if (configure is not null)
        {
            options.Configure(configure);
        }

        // A second call only adds its configure delegate: registering the rate-limit policy twice
        // would make ASP.NET Core refuse to start.
        if (alreadyAdded)
        {
            return new SessionGateBuilder(services);
        }

        options.ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<SessionGateOptions>, SessionGateOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);

        services.TryAddSingleton(sp => SessionGateRuntimeSettings.Create(Options(sp).HeaderName, Options(sp).PathPrefix));
        services.TryAddSingleton<SessionGateComponents>();
        services.TryAddSingleton(sp => sp.GetRequiredService<SessionGateComponents>().BlockFeed);
        services.TryAddSingleton(sp => (IBlockFeedHealth)sp.GetRequiredService<SessionGateComponents>().BlockFeed);
        services.TryAddSingleton(sp => sp.GetRequiredService<SessionGateComponents>().Directory);
        services.TryAddSingleton(sp => sp.GetRequiredService<SessionGateComponents>().Blocker);
        services.TryAddSingleton<ISessionVerifier>(sp => new SessionVerifier(
            sp.GetRequiredService<IBlockFeed>(),
            sp.GetRequiredService<ISignerKeyDirectory>(),
            sp.GetRequiredService<TimeProvider>(),
            SessionGateComponents.VerifierOptions(Options(sp)),
            sp.GetService<IMeterFactory>()));

        services.TryAddSingleton(sp => new AuthenticationMetrics(sp.GetService<IMeterFactory>()));
        services.TryAddSingleton(sp => new MetricsCollector(sp.GetRequiredService<IOptions<SessionGateOptions>>(), sp.GetService<IMeterFactory>()));

        services.TryAddSingleton(sp => sp.GetRequiredService<SessionGateComponents>().Balances);
        services.TryAddSingleton(sp => sp.GetRequiredService<SessionGateComponents>().TierOverrides);
        services.TryAddSingleton(sp => sp.GetRequiredService<SessionGateComponents>().Tiers);
        services.TryAddSingleton(sp => sp.GetRequiredService<SessionGateComponents>().QuotaLimiter);
        services.TryAddSingleton(sp => sp.GetRequiredService<SessionGateComponents>().Usage);

        // Rate limiting through ASP.NET Core's own middleware: app.UseRateLimiter() and
        // .RequireRateLimiting(SessionGatePolicyNames.PerAccount) on the endpoints to limit.
        services.AddHttpContextAccessor();
        services.TryAddSingleton<SessionGateRateLimiter>();
        services.TryAddSingleton<PartitionedRateLimiter<HttpContext>>(sp => sp.GetRequiredService<SessionGateRateLimiter>());
        services.AddRateLimiter(o => o.AddPolicy<string, SessionGateRateLimiterPolicy>(SessionGatePolicyNames.PerAccount));

        services.AddSessionHeaderDecoding();
        services.AddHostedService<KeySeedingService>();
        services.AddHostedService<BackgroundWorkersHostedService>();
        return new SessionGateBuilder(services);
    }

    /// <summary>Uses Redis at <paramref name="configuration"/> (sets <c>SessionGate:Redis</c>).</summary>
    public static ISessionGateBuilder AddRedis(this ISessionGateBuilder builder, string configuration)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.Configure<SessionGateOptions>(o => o.Redis = configuration);
        return builder;
    }

    /// <summary>Follows a Tendermint node at <paramref name="rpcUrl"/> instead of the dev chain.</summary>
    public static ISessionGateBuilder AddTendermintChain(this ISessionGateBuilder builder, string rpcUrl)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.Configure<SessionGateOptions>(o => o.Chain = o.Chain with { Mode = ChainMode.Tendermint, RpcUrl = rpcUrl });
        return builder;
    }

    private static SessionGateOptions Options(IServiceProvider services) => services.GetRequiredService<IOptions<SessionGateOptions>>().Value;
}
