using SessionGate.RateLimiting;
using SessionGate.AspNetCore.RateLimiting;

namespace SessionGate.AspNetCore.RateLimiting;

/// <summary>
/// Names of SessionGate's policies: the rate-limiter policy for <c>.RequireRateLimiting(…)</c> and YARP's
/// <c>RouteConfig.RateLimiterPolicy</c>, the authorization policy for <c>.RequireAuthorization(…)</c>,
/// <c>[Authorize(Policy = …)]</c> and YARP's <c>RouteConfig.AuthorizationPolicy</c>.
/// </summary>
public static class SessionGatePolicyNames
{
    /// <summary>
    /// One quota per account (by balance tier) or, for anonymous callers, per client address; shared
    /// by every gateway instance through Redis; costs from route metadata.
    /// </summary>
    public const string PerAccount = "SessionGate.PerAccount";

    /// <summary>
    /// Authorization: a valid SessionGate session is required (401 <c>session_required</c>, or the
    /// header's own refusal) and the key's scopes must cover the request (403 <c>scope_denied</c>).
    /// </summary>
    public const string Session = "SessionGate.Session";
}
