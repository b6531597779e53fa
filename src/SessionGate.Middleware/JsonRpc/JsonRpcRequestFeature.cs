using System.Globalization;
using Microsoft.AspNetCore.Http;
using SessionGate.AspNetCore.RateLimiting;
using SessionGate.JsonRpc;
using SessionGate.Verification;

namespace SessionGate.AspNetCore.JsonRpc;

/// <summary>
/// What the JSON-RPC metering tells the rate limiter about an accepted body: its cost (the sum of
/// its calls') and how a refusal is written (one JSON-RPC error per call, with the 429 or 503 and the
/// headers the limiter already set).
/// </summary>
internal sealed class JsonRpcRequestFeature(JsonRpcBody body) : ISessionGateRequestCostFeature, IRateLimitRefusalWriter
{
    /// <summary>The parsed body.</summary>
    public JsonRpcBody Body { get; } = body;

    /// <inheritdoc />
    public int Cost => Body.TotalCost;

    /// <summary>True once the rate limiter refused the request (it wrote the refusal through this feature).</summary>
    public bool RefusedByLimiter { get; private set; }

    /// <inheritdoc />
    public Task WriteAsync(HttpContext context, SessionError error, string detail, TimeSpan retryAfter)
    {
        RefusedByLimiter = true;
        SessionErrorDescription description = SessionErrors.Describe(error);
        long seconds = Math.Max(1, (long)Math.Ceiling(retryAfter.TotalSeconds));
        if (!context.Response.Headers.ContainsKey("Retry-After"))
        {
            context.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        }

        int code = error == SessionError.LimiterUnavailable ? JsonRpcErrors.ResourceUnavailable : JsonRpcErrors.LimitExceeded;
        var jsonRpcError = new JsonRpcError(code, $"{description.Title}: {detail}", description.Code, seconds);
        return JsonRpcResponses.WriteAsync(context, description.Status, writer => JsonRpcErrors.WriteForEveryCall(writer, Body, jsonRpcError));
    }
}
