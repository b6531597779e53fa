using Microsoft.AspNetCore.Builder;
using SessionGate.AspNetCore.Authentication;
using SessionGate.AspNetCore.JsonRpc;
using Yarp.ReverseProxy.Configuration;

namespace SessionGate.Proxy.Gateway.Routing;

/// <summary>
/// Gives each YARP route endpoint its <see cref="SessionGateRouteMetadata"/> and, when it is marked
/// JSON-RPC, its <see cref="JsonRpcRouteMetadata"/> (parsed from the route's <c>SessionGate.*</c> Metadata keys), which SessionGate's middleware reads like the metadata that
/// <c>.RequireSession()</c> adds to in-process endpoints.
/// </summary>
internal static class RouteMetadataConvention
{
    public static ReverseProxyConventionBuilder WithSessionGateRouteSettings(this ReverseProxyConventionBuilder builder) =>
        builder.ConfigureEndpoints((IEndpointConventionBuilder endpoint, RouteConfig route) =>
        {
            if (ProxyConfigRules.Settings(route) is { } settings)
            {
                endpoint.WithMetadata(settings);
            }

            if (ProxyConfigRules.JsonRpcSettings(route) is { } jsonRpc)
            {
                endpoint.WithMetadata(jsonRpc);
            }
        });
}
