using System.Diagnostics.Metrics;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using SessionGate.AspNetCore;
using SessionGate.AspNetCore.Authentication;
using SessionGate.AspNetCore.Configuration;
using SessionGate.AspNetCore.DependencyInjection;
using SessionGate.Hosting;
using SessionGate.AspNetCore.Hosting;
using SessionGate.AspNetCore.Metrics;
using SessionGate.RateLimiting;
using SessionGate.AspNetCore.RateLimiting;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers SessionGate's services.</summary>
public static class SessionGateServiceCollectionExtensions
{
    /// <summary>
    /// Adds SessionGate, bound to the <c>SessionGate</c> configuration section and validated at
    /// start-up (every error reported at once). Every seam (<c>ISignerKeyDirectory</c>,
    /// <c>IBalanceSource</c>, <c>IBlockFeed</c>, <c>IQuotaLimiter</c>, …) is registered with
    /// <c>TryAdd</c>: register your own implementation before or after this call and the verifier,
    /// the limiter, the admin API and the background workers all use it. Without
    /// <c>SessionGate:Redis</c> (or <see cref="SessionGateBuilderExtensions.AddRedis(ISessionGateBuilder, string)"/>)
    /// every store is in memory (one instance); with it, instances share keys, blocks, blocked
    /// clients and quotas.
    /// </summary>
    public static ISessionGateBuilder AddSessionGate(this IServiceCollection services, Action<SessionGateOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        bool alreadyAdded = services.Any(d => d.ServiceType == typeof(SessionGateMarker));
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

        services.AddSingleton<SessionGateMarker>();
        options.ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<SessionGateOptions>, SessionGateOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(sp => SessionGateRuntimeSettings.Create(sp.GetSessionGateOptions().HeaderName, sp.GetSessionGateOptions().PathPrefix));

        services.AddSessionGateRedis();
        services.AddSessionGateChain();
        services.AddSessionGateStores();
        services.AddSessionGateVerification();
        services.AddSessionGateGrants();
        services.AddSessionGateJsonRpc();

        services.TryAddSingleton(sp => new AuthenticationMetrics(sp.GetService<IMeterFactory>()));
        services.TryAddSingleton(sp => new MetricsCollector(sp.GetRequiredService<IOptions<SessionGateOptions>>(), sp.GetService<IMeterFactory>()));

        // Authentication and authorization through ASP.NET Core's own abstractions: the SessionGate
        // scheme and the SessionGate.Session policy (for .RequireAuthorization, [Authorize] and
        // YARP's RouteConfig.AuthorizationPolicy).
        services.TryAddSingleton<AuthenticationTickets>();
        services.TryAddSingleton<SessionAuthenticator>();
        services.AddAuthentication().AddScheme<SessionGateAuthenticationOptions, SessionGateAuthenticationHandler>(
            SessionGateAuthenticationDefaults.AuthenticationScheme, displayName: "SessionGate", configureOptions: null);
        services.PostConfigure<AuthenticationOptions>(NotTheImplicitDefault);
        services.AddAuthorizationBuilder().AddPolicy(SessionGatePolicyNames.Session, policy => policy
            .AddAuthenticationSchemes(SessionGateAuthenticationDefaults.AuthenticationScheme)
            .RequireAuthenticatedUser()
            .AddRequirements(new SessionScopeRequirement()));

        // Rate limiting through ASP.NET Core's own middleware: app.UseRateLimiter() and
        // .RequireRateLimiting(SessionGatePolicyNames.PerAccount) (or YARP's RateLimiterPolicy).
        services.TryAddSingleton<RateLimitOutcomes>();
        services.TryAddSingleton(sp => new RateLimitPolicyMetrics(sp.GetService<IMeterFactory>()));
        services.AddRateLimiter(o => o.AddPolicy<PartitionHandle, SessionGateRateLimiterPolicy>(SessionGatePolicyNames.PerAccount));

        services.AddSessionHeaderDecoding();

        // Order matters: hosted services start in registration order, and the keys are seeded into
        // Redis, so the connection opens first.
        services.AddHostedService<SessionGateStartupService>();
        services.AddHostedService<KeySeedingService>();
        services.AddHostedService<BackgroundWorkersHostedService>();
        return new SessionGateBuilder(services);
    }

    /// <summary>Names no registered scheme: the authentication middleware then authenticates nothing.</summary>
    internal const string NoDefaultAuthenticateScheme = "SessionGate.NoDefault";

    // A lone registered scheme becomes ASP.NET Core's default, and WebApplication adds the
    // authentication middleware by itself, ahead of routing: SessionGate would then verify every
    // request's header, on routes it does not guard (health, .DisableSessionGate(), the gateway's
    // own endpoints) too, and count failures there towards blocking the address. SessionGate
    // authenticates where it guards instead (UseSessionGate, the SessionGate.Session policy, the
    // session endpoints); an application that names a default scheme keeps it.
    private static void NotTheImplicitDefault(AuthenticationOptions options)
    {
        bool onlySessionGate = options.Schemes.All(s => s.Name == SessionGateAuthenticationDefaults.AuthenticationScheme);
        if (onlySessionGate && options.DefaultScheme is null && options.DefaultAuthenticateScheme is null)
        {
            options.DefaultAuthenticateScheme = NoDefaultAuthenticateScheme;
        }
    }

    internal static SessionGateOptions GetSessionGateOptions(this IServiceProvider services) =>
        services.GetRequiredService<IOptions<SessionGateOptions>>().Value;
}
