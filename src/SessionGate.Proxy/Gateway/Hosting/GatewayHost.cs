using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SessionGate.AspNetCore.Configuration;
using SessionGate.RateLimiting;
using SessionGate.AspNetCore.RateLimiting;
using SessionGate.AspNetCore.Endpoints;
using SessionGate.Proxy.Gateway.Errors;
using SessionGate.Proxy.Gateway.Health;
using SessionGate.Proxy.Gateway.Identity;
using SessionGate.Proxy.Gateway.Metrics;
using SessionGate.Proxy.Gateway.Routing;
using Yarp.ReverseProxy.Configuration;

namespace SessionGate.Proxy.Gateway.Hosting;

/// <summary>
/// Builds the standalone gateway: an ASP.NET Core host with SessionGate in front of YARP. Standard
/// ASP.NET configuration applies: <c>appsettings.json</c> (and <c>appsettings.{Environment}.json</c>)
/// beside the executable, environment variables (<c>SessionGate__Redis</c>), and command-line
/// arguments (<c>--urls</c>, <c>--SessionGate:Redis=…</c>), later sources winning.
/// </summary>
internal static class GatewayHost
{
    // Bare mode's default authentication scheme: deliberately not registered (see AddGateway).

    /// <summary>The proxy's configuration section (standard YARP).</summary>
    public const string ReverseProxySection = "ReverseProxy";

    /// <param name="args">Arguments after <c>serve</c>.</param>
    /// <param name="customize">
    /// Runs after the standard configuration sources are in place (the demo adds its own settings,
    /// which then win over every other source, and keeps the console quiet).
    /// </param>
    /// <param name="bareProxy">
    /// True for <c>serve --bare-proxy</c>: the same host and YARP configuration with SessionGate switched
    /// off (no authentication, rate limiting, identity headers or gateway endpoints). A baseline for the
    /// load benchmark only; it must never face clients.
    /// </param>
    /// <exception cref="GatewayConfigurationException">The configuration is invalid (every problem is listed).</exception>
    public static WebApplication Build(string[] args, Action<WebApplicationBuilder>? customize = null, bool bareProxy = false)
    {
        WebApplicationBuilder builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            Args = args,

            // appsettings.json lives beside the executable (as in the container image), wherever it is started from.
            ContentRootPath = args.Any(a => a.StartsWith("--contentRoot", StringComparison.OrdinalIgnoreCase)) ? null : AppContext.BaseDirectory,
        });
        customize?.Invoke(builder);
        AdminListeners.Configure(builder);
        AddGateway(builder.Services, builder.Configuration, bareProxy);

        WebApplication app = builder.Build();
        GatewayConfigurationCheck.ThrowIfInvalid(app.Services);
        UseGateway(app, bareProxy);
        return app;
    }

    private static void AddGateway(IServiceCollection services, IConfiguration configuration, bool bareProxy)
    {
        // Registered in bare mode too: the configuration is validated the same way and the health
        // endpoints keep their checks; only the request pipeline below differs.
        services.AddSessionGate();
        services.AddOptions<GatewayProxyOptions>().BindConfiguration(GatewayProxyOptions.SectionName);
        IReverseProxyBuilder proxy = services.AddReverseProxy()
            .LoadFromConfig(configuration.GetSection(ReverseProxySection))
            .AddConfigFilter<SessionGateConfigFilter>();
        services.AddSingleton(new GatewayMode(bareProxy));
        if (!bareProxy)
        {
            proxy.AddTransforms<IdentityTransformProvider>();
        }

        services.AddGatewayHealthChecks();
        services.AddGatewayTelemetry(configuration);
    }

    private static void UseGateway(WebApplication app, bool bareProxy)
    {
        app.UseRouting();
        if (!bareProxy)
        {
            // Authentication first: it answers 401/403 itself and sets the claims the identity headers come from.
            app.UseSessionGate();

            // Routes may name an authorization policy (YARP's AuthorizationPolicy, e.g. SessionGate.Session):
            // UseAuthorization on those routes (and every route, with a fallback policy).
            app.UseAuthorizationWhereDeclared();

            // Then ASP.NET Core's rate limiter: every proxy route that names no RateLimiterPolicy gets
            // SessionGate's per-account policy (SessionGateConfigFilter), after UseSessionGate, so
            // partitions see the verified account and its tier.
            app.UseRateLimiter();
        }

        app.MapGatewayHealthEndpoints();
        app.MapGatewayMetrics();
        try
        {
            ReverseProxyConventionBuilder routes = app.MapReverseProxy(proxy =>
            {
                AdminListeners.UseSandboxOnAdminListeners(proxy);
                proxy.UseMiddleware<ForwarderErrorProblemMiddleware>();
                proxy.UseSessionAffinity();
                proxy.UseLoadBalancing();
                proxy.UsePassiveHealthChecks();
            });
            if (!bareProxy)
            {
                routes.WithSessionGateRouteSettings();
            }
        }
        catch (InvalidOperationException e)
        {
            // YARP loads its configuration here and refuses invalid routes and clusters.
            throw new GatewayConfigurationException(GatewayConfigurationCheck.Describe(e), e);
        }

        LogStart(app, bareProxy);
    }

    private static void LogStart(WebApplication app, bool bareProxy)
    {
        SessionGateOptions options = app.Services.GetRequiredService<IOptions<SessionGateOptions>>().Value;
        int routes = app.Services.GetServices<IProxyConfigProvider>().Sum(p => p.GetConfig().Routes.Count);
        bool strip = app.Services.GetRequiredService<IOptions<GatewayProxyOptions>>().Value.StripSessionHeader;
        if (GatewayTelemetry.IsEnabled(app.Configuration, out Uri? endpoint, out GatewayOtlpProtocol protocol))
        {
            // The receiver's scheme, host and port only: a URL's user info or query could hold a credential.
            Log.OtlpExport(app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("SessionGate.Gateway"),
                endpoint is null ? "OTEL_EXPORTER_OTLP_* variables" : endpoint.GetLeftPart(UriPartial.Authority), endpoint is null ? "OTEL_EXPORTER_OTLP_PROTOCOL" : protocol.ToString());
        }

        ILogger logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("SessionGate.Gateway");
        if (bareProxy)
        {
            Log.BareProxy(logger, routes);
            return;
        }

        AdminListeners.WarnIfUnreachable(app.Services, logger);
        Log.GatewayStarting(
            logger,
            SessionGateVersion.Current,
            options.Chain.Mode.ToString(),
            options.Redis is null ? "in-memory" : "Redis",
            routes,
            strip ? "stripped" : "forwarded");
    }
}
