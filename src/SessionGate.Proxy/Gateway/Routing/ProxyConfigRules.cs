using SessionGate.AspNetCore.Authentication;
using SessionGate.AspNetCore.JsonRpc;
using Yarp.ReverseProxy.Configuration;

namespace SessionGate.Proxy.Gateway.Routing;

/// <summary>
/// SessionGate's rules for YARP configuration, each error naming its configuration key: route
/// <c>Metadata</c> must hold valid <c>SessionGate.*</c> values (JSON-RPC metering's too) and every route must name a cluster
/// that exists. Shared by the start-up check and by the filter that guards configuration reloads.
/// </summary>
internal static class ProxyConfigRules
{
    public static IEnumerable<string> RouteErrors(RouteConfig route)
    {
        SessionGateRouteMetadata.TryParse(route.Metadata, out _, out IReadOnlyList<string> errors);
        JsonRpcRouteMetadata.TryParse(route.Metadata, out _, out IReadOnlyList<string> jsonRpcErrors);
        return errors.Concat(jsonRpcErrors).Select(e => $"ReverseProxy:Routes:{route.RouteId}:Metadata:{e}");
    }

    /// <summary>
    /// YARP accepts a route whose cluster does not exist (it answers 503 at request time, for dynamic
    /// configuration); in a file that is almost always a typo, so the gateway refuses to start with it.
    /// </summary>
    public static IEnumerable<string> MissingClusterErrors(IProxyConfig config)
    {
        var clusters = config.Clusters.Select(c => c.ClusterId).ToHashSet(StringComparer.OrdinalIgnoreCase);
        return config.Routes
            .Where(r => r.ClusterId is not null && !clusters.Contains(r.ClusterId))
            .Select(r => $"ReverseProxy:Routes:{r.RouteId}:ClusterId \"{r.ClusterId}\" names no cluster in ReverseProxy:Clusters.");
    }

    /// <summary>The route's SessionGate settings, or null when it sets none (or sets invalid ones, which the checks refuse).</summary>
    public static SessionGateRouteMetadata? Settings(RouteConfig route) =>
        SessionGateRouteMetadata.TryParse(route.Metadata, out SessionGateRouteMetadata? settings, out _) ? settings : null;

    /// <summary>The route's JSON-RPC metering settings, or null when it is not marked JSON-RPC (or is invalid, which the checks refuse).</summary>
    public static JsonRpcRouteMetadata? JsonRpcSettings(RouteConfig route) =>
        JsonRpcRouteMetadata.TryParse(route.Metadata, out JsonRpcRouteMetadata? settings, out _) ? settings : null;
}
