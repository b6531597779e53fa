using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.IO.Compression;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using SessionGate.Testing.Telemetry;

namespace SessionGate.IntegrationTests.Telemetry;

/// <summary>
/// A real OTLP/gRPC receiver on 127.0.0.1 (Kestrel, HTTP/2 only over plain TCP: prior knowledge, as
/// collectors listen on 4317). It serves the two unary methods of the OTLP collector services
/// (<c>/opentelemetry.proto.collector.trace.v1.TraceService/Export</c> and the metrics one): reads the
/// gRPC length-prefixed frames (1-byte compressed flag, 4-byte big-endian length, gzip when the
/// <c>grpc-encoding</c> says so), decodes each <c>Export*ServiceRequest</c> with
/// <see cref="OtlpMessages"/> and answers an empty response message with <c>grpc-status: 0</c> in the
/// trailers. Anything it cannot decode is answered <c>grpc-status: 3</c> (INVALID_ARGUMENT) and recorded.
/// </summary>
internal sealed class OtlpGrpcReceiver : IAsyncDisposable
{
    public const string TracesPath = "/opentelemetry.proto.collector.trace.v1.TraceService/Export";
    public const string MetricsPath = "/opentelemetry.proto.collector.metrics.v1.MetricsService/Export";

    private readonly WebApplication _app;
    private readonly ConcurrentQueue<OtlpSpan> _spans = new();
    private readonly ConcurrentQueue<OtlpMetric> _metrics = new();
    private readonly ConcurrentQueue<string> _errors = new();
    private readonly ConcurrentQueue<string> _requests = new();

    private OtlpGrpcReceiver(WebApplication app) => _app = app;

    /// <summary><c>http://127.0.0.1:{port}/</c>.</summary>
    public Uri BaseUri { get; private set; } = null!;

    public IReadOnlyCollection<OtlpSpan> Spans => _spans;

    public IReadOnlyCollection<OtlpMetric> Metrics => _metrics;

    public IReadOnlyCollection<string> Errors => _errors;

    /// <summary>Every call received: HTTP version, path and content type.</summary>
    public IReadOnlyCollection<string> Requests => _requests;

    public static async Task<OtlpGrpcReceiver> StartAsync()
    {
        WebApplicationBuilder builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0, listen => listen.Protocols = HttpProtocols.Http2));
        builder.Logging.ClearProviders();
        WebApplication app = builder.Build();
        var receiver = new OtlpGrpcReceiver(app);
        app.MapPost(TracesPath, context => receiver.AcceptAsync(context, message => { foreach (OtlpSpan s in OtlpMessages.DecodeTraces(message)) { receiver._spans.Enqueue(s); } }));
        app.MapPost(MetricsPath, context => receiver.AcceptAsync(context, message => { foreach (OtlpMetric m in OtlpMessages.DecodeMetrics(message)) { receiver._metrics.Enqueue(m); } }));
        await app.StartAsync();
        string address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        receiver.BaseUri = new Uri(address.EndsWith('/') ? address : address + "/");
        return receiver;
    }

    private async Task AcceptAsync(HttpContext context, Action<byte[]> decode)
    {
        _requests.Enqueue($"{context.Request.Protocol} {context.Request.Path} {context.Request.ContentType}");
        context.Response.ContentType = "application/grpc";
        if (!HttpProtocol.IsHttp2(context.Request.Protocol) || context.Request.ContentType?.StartsWith("application/grpc", StringComparison.Ordinal) != true)
        {
            Fail(context, $"{context.Request.Path}: {context.Request.Protocol} {context.Request.ContentType}");
            return;
        }

        using var body = new MemoryStream();
        await context.Request.Body.CopyToAsync(body, context.RequestAborted).ConfigureAwait(false);
        byte[] frames = body.ToArray();
        int offset = 0;
        int messages = 0;
        while (offset < frames.Length)
        {
            if (frames.Length - offset < 5)
            {
                Fail(context, $"{context.Request.Path}: truncated frame header");
                return;
            }

            bool compressed = frames[offset] == 1;
            int length = (int)BinaryPrimitives.ReadUInt32BigEndian(frames.AsSpan(offset + 1, 4));
            if (length < 0 || length > frames.Length - offset - 5)
            {
                Fail(context, $"{context.Request.Path}: frame of {length} bytes beyond the body");
                return;
            }

            byte[] message = frames.AsSpan(offset + 5, length).ToArray();
            offset += 5 + length;
            try
            {
                decode(compressed ? Gunzip(message) : message);
                messages++;
            }
            catch (Exception e) when (e is FormatException or InvalidDataException)
            {
                Fail(context, $"{context.Request.Path}: {e.Message}");
                return;
            }
        }

        if (messages != 1)
        {
            Fail(context, $"{context.Request.Path}: {messages} messages in a unary call");
            return;
        }

        // The empty Export*ServiceResponse (full success) as one uncompressed frame, then the status.
        await context.Response.Body.WriteAsync(new byte[5], context.RequestAborted).ConfigureAwait(false);
        context.Response.AppendTrailer("grpc-status", "0");
    }

    private void Fail(HttpContext context, string error)
    {
        _errors.Enqueue(error);
        context.Response.AppendTrailer("grpc-status", "3");
        context.Response.AppendTrailer("grpc-message", "invalid OTLP request");
    }

    private static byte[] Gunzip(byte[] compressed)
    {
        using var input = new GZipStream(new MemoryStream(compressed), CompressionMode.Decompress);
        using var output = new MemoryStream();
        input.CopyTo(output);
        return output.ToArray();
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
