using Microsoft.Extensions.DependencyInjection;
using SessionGate.AspNetCore.Admin;
using SessionGate.AspNetCore.Authentication;
using SessionGate.AspNetCore.Dashboard;
using SessionGate.AspNetCore.DemoPage;
using SessionGate.AspNetCore.Endpoints;
using SessionGate.AspNetCore.Grants;
using SessionGate.AspNetCore.JsonRpc;
using SessionGate.AspNetCore.Metrics;
using SessionGate.AspNetCore.Session;

namespace Microsoft.AspNetCore.Builder;

/// <summary>Adds SessionGate to an ASP.NET Core pipeline.</summary>
public static class SessionGateApplicationBuilderExtensions
{
    /// <summary>
    /// Serves the gateway's own endpoints under <c>SessionGate:PathPrefix</c> and authenticates every
    /// other request that carries a <c>kira_session</c> header. Call it after <c>UseRouting()</c> (implicit
    /// in minimal APIs) so endpoint conventions such as <c>.RequireSession()</c> are seen.
    /// </summary>
    /// <exception cref="InvalidOperationException"><c>services.AddSessionGate()</c> was not called.</exception>
    public static IApplicationBuilder UseSessionGate(this IApplicationBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        SessionGateRuntimeSettings settings = app.ApplicationServices.GetService<SessionGateRuntimeSettings>()
            ?? throw new InvalidOperationException(
                "SessionGate's services are missing: call builder.Services.AddSessionGate() before app.UseSessionGate().");

        app.Map(settings.PathPrefix, gateway =>
        {
            gateway.UseMiddleware<AdminApiMiddleware>();
            gateway.UseMiddleware<DashboardMiddleware>();
            gateway.UseMiddleware<DemoPageMiddleware>();
            gateway.UseMiddleware<MetricsEndpointMiddleware>();
            gateway.UseMiddleware<GatewayEndpointsMiddleware>();
            gateway.UseMiddleware<GrantsMiddleware>();
            gateway.UseMiddleware<SessionEndpointsMiddleware>();
            gateway.Run(PrefixNotFound.WriteAsync);
        });
        app.UseMiddleware<SessionGateMiddleware>();

        // After authentication (a refused header never makes the gateway read a body), before the
        // application's UseRateLimiter(): a JSON-RPC body's summed method cost is what is charged.
        return app.UseMiddleware<JsonRpcMeteringMiddleware>();
    }
}
