using System.Collections.Concurrent;
using System.IO.Compression;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace SessionGate.Testing.Telemetry;

/// <summary>
/// A real OTLP/HTTP receiver on 127.0.0.1 (Kestrel): accepts <c>POST /v1/traces</c> and
/// <c>POST /v1/metrics</c> with <c>application/x-protobuf</c> bodies (gzip or not), decodes them with
/// <see cref="OtlpMessages"/> and answers 200 with an empty export response, as a collector does.
/// A body that is not valid OTLP protobuf is answered 400 and recorded in <see cref="Errors"/>.
/// </summary>
public sealed class OtlpReceiver : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<OtlpSpan> _spans = new();
    private readonly ConcurrentQueue<OtlpMetric> _metrics = new();
    private readonly ConcurrentQueue<string> _errors = new();
    private readonly ConcurrentQueue<string> _requests = new();

    private OtlpReceiver(WebApplication app) => _app = app;

    /// <summary><c>http://127.0.0.1:{port}/</c>.</summary>
    public Uri BaseUri { get; private set; } = null!;

    public IReadOnlyCollection<OtlpSpan> Spans => _spans;

    public IReadOnlyCollection<OtlpMetric> Metrics => _metrics;

    /// <summary>Bodies that did not decode (each with the reason).</summary>
    public IReadOnlyCollection<string> Errors => _errors;

    /// <summary>Every request received: method, path and content type.</summary>
    public IReadOnlyCollection<string> Requests => _requests;

    public static async Task<OtlpReceiver> StartAsync()
    {
        WebApplicationBuilder builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        WebApplication app = builder.Build();
        var receiver = new OtlpReceiver(app);
        app.MapPost("/v1/traces", context => receiver.AcceptAsync(context, body => { foreach (OtlpSpan s in OtlpMessages.DecodeTraces(body)) { receiver._spans.Enqueue(s); } }));
        app.MapPost("/v1/metrics", context => receiver.AcceptAsync(context, body => { foreach (OtlpMetric m in OtlpMessages.DecodeMetrics(body)) { receiver._metrics.Enqueue(m); } }));
        await app.StartAsync();
        receiver.BaseUri = new Uri(app.Urls.Single());
        return receiver;
    }

    private async Task AcceptAsync(HttpContext context, Action<byte[]> decode)
    {
        _requests.Enqueue($"{context.Request.Method} {context.Request.Path} {context.Request.ContentType}");
        if (!string.Equals(context.Request.ContentType, "application/x-protobuf", StringComparison.OrdinalIgnoreCase))
        {
            _errors.Enqueue($"{context.Request.Path}: content type {context.Request.ContentType}");
            context.Response.StatusCode = StatusCodes.Status415UnsupportedMediaType;
            return;
        }

        using var buffer = new MemoryStream();
        if (context.Request.Headers.ContentEncoding.ToString() == "gzip")
        {
            await using var gzip = new GZipStream(context.Request.Body, CompressionMode.Decompress, leaveOpen: true);
            await gzip.CopyToAsync(buffer, context.RequestAborted).ConfigureAwait(false);
        }
        else
        {
            await context.Request.Body.CopyToAsync(buffer, context.RequestAborted).ConfigureAwait(false);
        }

        try
        {
            decode(buffer.ToArray());
        }
        catch (FormatException e)
        {
            _errors.Enqueue($"{context.Request.Path}: {e.Message}");
            context.Response.StatusCode = StatusCodes.Status400BadRequest;
            return;
        }

        // An empty Export*ServiceResponse: full success.
        context.Response.StatusCode = StatusCodes.Status200OK;
        context.Response.ContentType = "application/x-protobuf";
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
