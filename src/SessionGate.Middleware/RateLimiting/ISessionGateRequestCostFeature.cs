namespace SessionGate.AspNetCore.RateLimiting;

/// <summary>
/// The cost this request is charged by the <see cref="SessionGatePolicyNames.PerAccount"/> policy,
/// instead of its route's <c>SessionGate.Cost</c>: set as an HttpContext feature by a middleware
/// that runs after <c>UseSessionGate()</c> and before <c>UseRateLimiter()</c>. SessionGate's JSON-RPC
/// metering sets it to the sum of a body's method costs; an application may set its own.
/// </summary>
public interface ISessionGateRequestCostFeature
{
    /// <summary>Cost units of this request, at least 1 (one limiter decision takes them all or none).</summary>
    int Cost { get; }
}
