using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using SessionGate.Verification;

namespace SessionGate.AspNetCore.Authentication;

/// <summary>
/// Authorization requirement: a request authenticated by SessionGate stays inside its session key's
/// scopes (path prefix, methods and maximum route cost). Requests without a SessionGate session satisfy it (combine with
/// <c>RequireAuthenticatedUser</c>, as <see cref="RateLimiting.SessionGatePolicyNames.Session"/> does,
/// to require one). A failure is forbidden: 403 <c>scope_denied</c>.
/// </summary>
public sealed class SessionScopeRequirement : AuthorizationHandler<SessionScopeRequirement>, IAuthorizationRequirement
{
    internal const string DeniedDetail = "The session key's scopes do not cover this route and method.";

    /// <summary>Whether the request's session key covers the request's path and method.</summary>
    public static bool Allows(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return context.Features.Get<ISessionGateFeature>() is not { } session
            || ScopeCheck.Allows(session.Key.Scopes, context.Request.Path.Value ?? "/", context.Request.Method, RouteSettings.For(context.GetEndpoint()).Cost);
    }

    /// <inheritdoc />
    protected override Task HandleRequirementAsync(AuthorizationHandlerContext context, SessionScopeRequirement requirement)
    {
        ArgumentNullException.ThrowIfNull(context);
        // Endpoint routing's authorization passes the HttpContext; without it the scopes cannot be
        // checked, so the requirement fails closed.
        if (context.Resource is HttpContext http && Allows(http))
        {
            context.Succeed(requirement);
        }

        return Task.CompletedTask;
    }
}
