using Microsoft.AspNetCore.Http;
using SessionGate.Verification;

namespace SessionGate.AspNetCore.RateLimiting;

/// <summary>
/// Writes a rate-limit refusal in the request's own protocol instead of a problem document (JSON-RPC
/// routes answer with JSON-RPC error objects). An HttpContext feature, set before the rate limiter
/// runs; the rejecting decision's RateLimit and Retry-After headers are already on the response.
/// </summary>
internal interface IRateLimitRefusalWriter
{
    /// <param name="context">The refused request.</param>
    /// <param name="error">Why: <c>rate_limited</c>, <c>quota_exhausted</c> or <c>limiter_unavailable</c>.</param>
    /// <param name="detail">The problem's detail text.</param>
    /// <param name="retryAfter">How long the client should wait.</param>
    Task WriteAsync(HttpContext context, SessionError error, string detail, TimeSpan retryAfter);
}
