using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace SessionGate.Proxy.Gateway.Hosting;

/// <summary>
/// <c>serve</c>'s authorization: ASP.NET Core's <c>UseAuthorization()</c>, run for the requests whose
/// endpoint declares authorization (a YARP route's <c>AuthorizationPolicy</c> becomes
/// <see cref="IAuthorizeData"/> metadata; <c>.RequireAuthorization(…)</c> likewise).
/// </summary>
/// <remarks>
/// On any other endpoint the middleware decides nothing (no policy, no fallback policy) but still
/// writes <c>HttpContext.Items</c> — a dictionary per request, about 200 B, on every proxied request
/// (issue 16). The branch sees exactly the endpoints it can act on: with no <see cref="IAuthorizeData"/>,
/// <see cref="AuthorizationPolicy"/> or <see cref="IAuthorizationRequirementData"/> metadata and no
/// fallback policy, <c>AuthorizationMiddleware</c> only calls the next middleware, and the endpoint
/// middleware's check for a missing authorization middleware looks for that same metadata. A fallback
/// policy (or a policy provider other than ASP.NET Core's, which could return one) puts authorization
/// back on every request.
/// </remarks>
internal static class AuthorizationWhereDeclared
{
    /// <summary>Adds <c>UseAuthorization()</c> for the endpoints that declare authorization.</summary>
    public static void UseAuthorizationWhereDeclared(this WebApplication app)
    {
        IAuthorizationPolicyProvider policies = app.Services.GetRequiredService<IAuthorizationPolicyProvider>();
        if (policies.GetType() != typeof(DefaultAuthorizationPolicyProvider) || policies.GetFallbackPolicyAsync().GetAwaiter().GetResult() is not null)
        {
            app.UseAuthorization();
            return;
        }

        app.UseWhen(DeclaresAuthorization, branch => branch.UseAuthorization());
    }

    /// <summary>True when the request's endpoint carries metadata the authorization middleware acts on.</summary>
    internal static bool DeclaresAuthorization(HttpContext context) =>
        context.GetEndpoint()?.Metadata is { } metadata
        && (metadata.GetMetadata<IAuthorizeData>() is not null
            || metadata.GetMetadata<AuthorizationPolicy>() is not null
            || metadata.GetMetadata<IAuthorizationRequirementData>() is not null);
}
