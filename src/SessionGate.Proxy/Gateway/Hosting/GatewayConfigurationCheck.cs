using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using SessionGate.AspNetCore.Configuration;
using SessionGate.Proxy.Gateway.Identity;
using SessionGate.Proxy.Gateway.Routing;
using Yarp.ReverseProxy.Configuration;

namespace SessionGate.Proxy.Gateway.Hosting;

/// <summary>
/// Checks the whole configuration before the gateway starts and reports every problem at once, each
/// naming its key: the <c>SessionGate</c> section (its own validator), <c>SessionGate:Proxy</c>,
/// <c>SessionGate:Telemetry</c>, and
/// SessionGate's rules for the <c>ReverseProxy</c> routes and clusters. YARP's own checks (a route
/// without a cluster, a bad path pattern) run next, when the routes are mapped.
/// </summary>
internal static class GatewayConfigurationCheck
{
    public static void ThrowIfInvalid(IServiceProvider services)
    {
        var errors = new List<string>();
        Collect(errors, () => _ = services.GetRequiredService<IOptions<SessionGateOptions>>().Value);
        Collect(errors, () => _ = services.GetRequiredService<IOptions<GatewayProxyOptions>>().Value);
        Collect(errors, () => _ = services.GetRequiredService<IOptions<GatewayTelemetryOptions>>().Value);
        foreach (IProxyConfigProvider provider in services.GetServices<IProxyConfigProvider>())
        {
            Collect(errors, () =>
            {
                IProxyConfig config = provider.GetConfig();
                errors.AddRange(config.Routes.SelectMany(ProxyConfigRules.RouteErrors));
                errors.AddRange(ProxyConfigRules.MissingClusterErrors(config));
            });
        }

        if (errors.Count > 0)
        {
            throw new GatewayConfigurationException(errors);
        }
    }

    /// <summary>The readable lines of YARP's own "Unable to load or apply the proxy configuration" failure.</summary>
    public static IReadOnlyList<string> Describe(Exception exception) => exception switch
    {
        AggregateException aggregate => [.. aggregate.InnerExceptions.SelectMany(Describe)],
        { InnerException: { } inner } when exception.Message.StartsWith("An exception was thrown from the configuration callbacks", StringComparison.Ordinal) => Describe(inner),
        { InnerException: { } inner } when exception is InvalidOperationException && exception.Message.StartsWith("Unable to load or apply the proxy configuration", StringComparison.Ordinal) => Describe(inner),
        _ => [exception.Message],
    };

    private static void Collect(List<string> errors, Action read)
    {
        try
        {
            read();
        }
        catch (OptionsValidationException e)
        {
            errors.AddRange(e.Failures);
        }
        catch (InvalidOperationException e)
        {
            // Binding failures, e.g. "Failed to convert configuration value at 'SessionGate:Window' to type 'System.TimeSpan'."
            errors.Add(e.Message);
        }
    }
}
