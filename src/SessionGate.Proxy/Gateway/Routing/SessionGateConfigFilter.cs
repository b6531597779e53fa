using Yarp.ReverseProxy.Configuration;

namespace SessionGate.Proxy.Gateway.Routing;

/// <summary>
/// Applies <see cref="ProxyConfigRules"/> whenever YARP loads configuration, including reloads of
/// appsettings.json: a bad value makes YARP reject the new configuration and keep the previous one,
/// so a typo can never silently turn a route's session requirement off.
/// </summary>
internal sealed class SessionGateConfigFilter : IProxyConfigFilter
{
    public ValueTask<ClusterConfig> ConfigureClusterAsync(ClusterConfig cluster, CancellationToken cancel) => ValueTask.FromResult(cluster);

    public ValueTask<RouteConfig> ConfigureRouteAsync(RouteConfig route, ClusterConfig? cluster, CancellationToken cancel)
    {
        string[] errors = [.. ProxyConfigRules.RouteErrors(route)];
        if (route.ClusterId is not null && cluster is null)
        {
            errors = [.. errors, $"ReverseProxy:Routes:{route.RouteId}:ClusterId \"{route.ClusterId}\" names no cluster in ReverseProxy:Clusters."];
        }

        return errors.Length == 0 ? ValueTask.FromResult(route) : throw new InvalidOperationException(string.Join(" ", errors));
    }
}
