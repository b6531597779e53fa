using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Yarp.ReverseProxy.Forwarder;

namespace SessionGate.Proxy.Gateway.Errors;

/// <summary>
/// Turns YARP's empty error responses into RFC 9457 problem details with a stable <c>code</c>, in the
/// shape of SessionGate's own refusals: 502 <c>upstream_error</c> (upstream down or broken), 503
/// <c>upstream_unavailable</c> (no healthy destination), 504 <c>upstream_timeout</c>, 400
/// <c>request_invalid</c>. Nothing is written when the client went away or the upstream's
/// response had already started.
/// </summary>
internal sealed class ForwarderErrorProblemMiddleware
{
    private readonly RequestDelegate _next;

    public ForwarderErrorProblemMiddleware(RequestDelegate next) => _next = next;

    public async Task InvokeAsync(HttpContext context)
    {
        await _next(context).ConfigureAwait(false);

        IForwarderErrorFeature? error = context.Features.Get<IForwarderErrorFeature>();
        if (error is null || context.Response.HasStarted || context.RequestAborted.IsCancellationRequested
            || error.Error is ForwarderError.RequestCanceled or ForwarderError.RequestBodyCanceled or ForwarderError.UpgradeRequestCanceled)
        {
            return;
        }

        (string code, string title, string detail)? problem = context.Response.StatusCode switch
        {
            StatusCodes.Status502BadGateway => ("upstream_error", "Bad gateway", "The upstream service could not be reached or did not answer properly."),
            StatusCodes.Status503ServiceUnavailable => ("upstream_unavailable", "No upstream available", "No healthy upstream destination is available for this route."),
            StatusCodes.Status504GatewayTimeout => ("upstream_timeout", "Upstream timed out", "The upstream service did not answer in time."),
            StatusCodes.Status400BadRequest => ("request_invalid", "Bad request", "The request could not be forwarded: its body could not be read."),
            _ => null,
        };

        if (problem is { } p)
        {
            await WriteAsync(context, p.code, p.title, p.detail).ConfigureAwait(false);
        }
    }

    private static Task WriteAsync(HttpContext context, string code, string title, string detail)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("type", "urn:sessiongate:problem:" + code);
            writer.WriteString("title", title);
            writer.WriteNumber("status", context.Response.StatusCode);
            writer.WriteString("code", code);
            writer.WriteString("detail", detail);
            writer.WriteString("instance", context.Request.Path.Value);
            writer.WriteEndObject();
        }

        context.Response.ContentType = "application/problem+json";
        context.Response.Headers.CacheControl = "no-store";
        context.Response.ContentLength = buffer.WrittenCount;
        return context.Response.Body.WriteAsync(buffer.WrittenMemory).AsTask();
    }
}
