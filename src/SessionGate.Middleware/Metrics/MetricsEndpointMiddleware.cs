using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;
using SessionGate.AspNetCore.Configuration;

namespace SessionGate.AspNetCore.Metrics;

/// <summary>
/// <c>GET {PathPrefix}/metrics</c>: the Prometheus text exposition of the <c>SessionGate</c> meter and
/// ASP.NET Core's meters (see <see cref="MetricsOptions"/>). 404 when switched off.
/// </summary>
internal sealed class MetricsEndpointMiddleware
{
    public const string Path = "/metrics";

    private readonly RequestDelegate _next;
    private readonly MetricsCollector _collector;
    private readonly bool _enabled;

    public MetricsEndpointMiddleware(RequestDelegate next, MetricsCollector collector, IOptions<SessionGateOptions> options)
    {
        _next = next;
        _collector = collector;
        _enabled = options.Value.Metrics.Enabled;
    }

    public Task InvokeAsync(HttpContext context) =>
        _enabled && context.Request.Path.Equals(Path, StringComparison.Ordinal)
            ? WriteAsync(context, _collector)
            : _next(context);

    /// <summary>Answers a scrape (also used by the standalone gateway's root <c>/metrics</c>).</summary>
    public static Task WriteAsync(HttpContext context, MetricsCollector collector)
    {
        HttpResponse response = context.Response;
        if (!HttpMethods.IsGet(context.Request.Method) && !HttpMethods.IsHead(context.Request.Method))
        {
            response.Headers.Allow = "GET, HEAD";
            return Authentication.ProblemResponses.WriteAsync(context, StatusCodes.Status405MethodNotAllowed, "method_not_allowed", "Method not allowed.", "This path accepts GET and HEAD.", instance: null);
        }

        byte[] body = Encoding.UTF8.GetBytes(PrometheusTextWriter.Write(collector.Collect()));
        response.ContentType = PrometheusTextWriter.ContentType;
        response.Headers.CacheControl = "no-store";
        response.ContentLength = body.Length;
        return HttpMethods.IsHead(context.Request.Method) ? Task.CompletedTask : response.Body.WriteAsync(body).AsTask();
    }
}
