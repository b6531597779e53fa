using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using SessionGate.Proxy.Gateway.Identity;

namespace SessionGate.Proxy.Demo;

/// <summary>
/// The demo's upstream API: a small Kestrel app on a free loopback port that knows nothing about
/// sessions. It answers every path with what the gateway told it: the caller's identity headers.
/// </summary>
internal sealed class DemoUpstream : IAsyncDisposable
{
    private readonly WebApplication _app;

    private DemoUpstream(WebApplication app, Uri address)
    {
        _app = app;
        Address = address;
    }

    public Uri Address { get; }

    public static async Task<DemoUpstream> StartAsync(CancellationToken cancellationToken)
    {
        WebApplicationBuilder builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        WebApplication app = builder.Build();
        app.Map("/{**path}", Answer);
        await app.StartAsync(cancellationToken).ConfigureAwait(false);
        return new DemoUpstream(app, new Uri(app.Urls.First()));
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync().ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
    }

    private static Task Answer(HttpContext context)
    {
        IHeaderDictionary headers = context.Request.Headers;
        string? account = headers[IdentityHeaders.Account];
        var buffer = new System.Buffers.ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            writer.WriteStartObject();
            writer.WriteString("message", account is null ? "Hello, anonymous caller, from the demo API" : "Hello from the demo API");
            writer.WriteString("method", context.Request.Method);
            writer.WriteString("path", context.Request.Path.Value);
            writer.WriteString("account", account);
            writer.WriteString("session_key", headers[IdentityHeaders.Key].ToString() is { Length: > 0 } key ? key : null);
            writer.WriteString("tier", headers[IdentityHeaders.Tier].ToString() is { Length: > 0 } tier ? tier : null);
            writer.WriteEndObject();
        }

        context.Response.ContentType = "application/json";
        return context.Response.Body.WriteAsync(buffer.WrittenMemory).AsTask();
    }
}
