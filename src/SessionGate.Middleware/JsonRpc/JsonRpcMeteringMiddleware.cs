using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Logging;
using SessionGate.AspNetCore.RateLimiting;
using SessionGate.JsonRpc;

namespace SessionGate.AspNetCore.JsonRpc;

/// <summary>
/// Meters JSON-RPC endpoints (<see cref="JsonRpcRouteMetadata"/>). Runs after SessionGate's
/// authentication (a refused header never makes the gateway read a body) and before the rate
/// limiter: reads the body once (at most <c>SessionGate:JsonRpc:MaxBodyBytes</c>), refuses
/// malformed bodies and disallowed methods with JSON-RPC errors (never forwarded, never charged),
/// and otherwise sets the request's cost to the sum of its calls' costs
/// (<see cref="ISessionGateRequestCostFeature"/>: one limiter decision, all or nothing) and hands the
/// same buffered bytes on as the request body. Once the limiter has decided, each call is counted
/// in the quota history's method top list (<see cref="JsonRpcMethodHistory"/>).
/// </summary>
/// <remarks>
/// Requests without a body (a GET, Tendermint's URI form <c>GET /status</c>) are not JSON-RPC calls:
/// they pass with the route's own cost. A POST always carries one: an empty POST is a parse error.
/// </remarks>
internal sealed class JsonRpcMeteringMiddleware
{
    private readonly RequestDelegate _next;
    private readonly JsonRpcRouteTables _tables;
    private readonly JsonRpcMethodHistory _history;
    private readonly ILogger _logger;

    public JsonRpcMeteringMiddleware(RequestDelegate next, JsonRpcRouteTables tables, JsonRpcMethodHistory history, ILogger<JsonRpcMeteringMiddleware> logger)
    {
        _next = next;
        _tables = tables;
        _history = history;
        _logger = logger;
    }

    public Task InvokeAsync(HttpContext context)
    {
        JsonRpcMethodTable? table = _tables.For(context.GetEndpoint());
        return table is not null && HasBody(context) ? MeterAsync(context, table) : _next(context);
    }

    private static bool HasBody(HttpContext context) =>
        HttpMethods.IsPost(context.Request.Method)
        || (context.Features.Get<IHttpRequestBodyDetectionFeature>()?.CanHaveBody ?? context.Request.ContentLength > 0);

    private async Task MeterAsync(HttpContext context, JsonRpcMethodTable table)
    {
        JsonRpcOptions options = _tables.Options;
        HttpRequest request = context.Request;
        JsonRpcBodyBuffer? buffer = request.ContentLength > options.MaxBodyBytes
            ? null
            : await JsonRpcBodyBuffer.ReadAsync(request.Body, request.ContentLength, options.MaxBodyBytes, context.RequestAborted).ConfigureAwait(false);
        if (buffer is null)
        {
            Log.BodyTooLarge(_logger, options.MaxBodyBytes);
            await JsonRpcResponses.WriteBodyTooLargeAsync(context, options.MaxBodyBytes).ConfigureAwait(false);
            return;
        }

        context.Response.RegisterForDispose(buffer);
        JsonRpcBody body = JsonRpcParser.Parse(buffer.Body, table, options.MaxBatchSize);
        if (body.Status != JsonRpcBodyStatus.Ok)
        {
            Log.BodyRefused(_logger, body.Status.ToString(), body.Calls.Count);
            await JsonRpcResponses.WriteRefusalAsync(context, body).ConfigureAwait(false);
            return;
        }

        var feature = new JsonRpcRequestFeature(body);
        context.Features.Set<ISessionGateRequestCostFeature>(feature);
        context.Features.Set<IRateLimitRefusalWriter>(feature);
        request.Body = buffer.ForwardingStream();
        Log.BodyMetered(_logger, body.Calls.Count, body.TotalCost);
        try
        {
            await _next(context).ConfigureAwait(false);
        }
        finally
        {
            // After the limiter: only now is it known whether the calls were refused. Also when the
            // forwarded call failed: the limiter's decision (and charge) stands.
            _history.Record(context, feature);
        }
    }
}
