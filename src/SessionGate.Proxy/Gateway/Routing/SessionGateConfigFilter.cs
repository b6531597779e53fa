using SessionGate.RateLimiting;
using SessionGate.AspNetCore.RateLimiting;
using Yarp.ReverseProxy.Configuration;

namespace SessionGate.Proxy.Gateway.Routing;

/// <summary>
/// Applies <see cref="ProxyConfigRules"/> whenever YARP loads configuration, including reloads of
/// appsettings.json: a bad value makes YARP reject the new configuration and keep the previous one,
/// so a typo can never silently turn a route's session requirement off. A route that names no
/// <c>RateLimiterPolicy</c> gets SessionGate's per-account policy (not in <c>--bare-proxy</c> mode).
/// </summary>
internal sealed class SessionGateConfigFilter(GatewayMode mode) : IProxyConfigFilter
{
    public ValueTask<ClusterConfig> ConfigureClusterAsync(ClusterConfig cluster, CancellationToken cancel) => ValueTask.FromResult(cluster);

    public ValueTask<RouteConfig> ConfigureRouteAsync(RouteConfig route, ClusterConfig? cluster, CancellationToken cancel)
    {
        string[] errors = [.. ProxyConfigRules.RouteErrors(route)];
        if (route.ClusterId is not null && cluster is null)
        {
            errors = [.. errors, $"ReverseProxy:Routes:{route.RouteId}:ClusterId \"{route.ClusterId}\" names no cluster in ReverseProxy:Clusters."];
        }

        if (errors.Length > 0)
        {
            throw new InvalidOperationException(string.Join(" ", errors));
        }

        return ValueTask.FromResult(route.RateLimiterPolicy is null && !mode.BareProxy
            ? route with { RateLimiterPolicy = SessionGatePolicyNames.PerAccount }
            : route);
    }
}

/// <summary>Whether the gateway runs with SessionGate or as <c>serve --bare-proxy</c> (benchmark baseline).</summary>
internal sealed record GatewayMode(bool BareProxy);
