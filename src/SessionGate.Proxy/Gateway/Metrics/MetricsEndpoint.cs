using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using SessionGate.AspNetCore.Configuration;
using SessionGate.AspNetCore.Metrics;

namespace SessionGate.Proxy.Gateway.Metrics;

/// <summary>
/// <c>/metrics</c> at the root of the standalone gateway, where Prometheus looks by default (the same
/// exposition as <c>{PathPrefix}/metrics</c>). Outside SessionGate: no session, no limits. Not mapped
/// when <c>SessionGate:Metrics:Enabled</c> is false.
/// </summary>
internal static class MetricsEndpoint
{
    public static IEndpointRouteBuilder MapGatewayMetrics(this IEndpointRouteBuilder endpoints)
    {
        if (!endpoints.ServiceProvider.GetRequiredService<IOptions<SessionGateOptions>>().Value.Metrics.Enabled)
        {
            return endpoints;
        }

        MetricsCollector collector = endpoints.ServiceProvider.GetRequiredService<MetricsCollector>();
        endpoints.MapMethods(MetricsEndpointMiddleware.Path, [HttpMethods.Get, HttpMethods.Head], context => MetricsEndpointMiddleware.WriteAsync(context, collector))
            .DisableSessionGate();
        return endpoints;
    }
}
