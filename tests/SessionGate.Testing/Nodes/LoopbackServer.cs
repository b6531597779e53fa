using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Extensions;
using Microsoft.Extensions.Logging;

namespace SessionGate.Testing.Nodes;

/// <summary>
/// Serves an <see cref="HttpMessageHandler"/> on real Kestrel (127.0.0.1, a free port), so the fake a
/// unit test calls in-process is the same one an integration test's gateway process reaches over TCP.
/// </summary>
public sealed class LoopbackServer : IAsyncDisposable
{
    // Answered by the server itself: Kestrel's first request pays for JIT, which can take longer than
    // a short request timeout on a busy machine, so it is paid before the test's clock starts.
    private const string WarmUpPath = "/_loopback/warm-up";

    private readonly WebApplication _app;
    private readonly HttpMessageInvoker _invoker;
    private bool _stopped;

    private LoopbackServer(WebApplication app, HttpMessageInvoker invoker)
    {
        _app = app;
        _invoker = invoker;
    }

    /// <summary>The server's address, <c>http://127.0.0.1:{port}/</c>.</summary>
    public Uri BaseUri { get; private set; } = null!;

    public static async Task<LoopbackServer> StartAsync(HttpMessageHandler handler)
    {
        WebApplicationBuilder builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        WebApplication app = builder.Build();
        var server = new LoopbackServer(app, new HttpMessageInvoker(handler, disposeHandler: false));
        app.Run(server.ForwardAsync);
        await app.StartAsync();
        server.BaseUri = new Uri(app.Urls.Single());
        using var client = new HttpClient { BaseAddress = server.BaseUri };
        using HttpResponseMessage warmUp = await client.GetAsync(new Uri(WarmUpPath, UriKind.Relative));
        return server;
    }

    /// <summary>Stops listening: later requests fail with "connection refused".</summary>
    public async Task StopAsync()
    {
        if (!_stopped)
        {
            _stopped = true;
            await _app.StopAsync();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        await _app.DisposeAsync();
        _invoker.Dispose();
    }

    private async Task ForwardAsync(HttpContext context)
    {
        if (context.Request.Path == WarmUpPath)
        {
            context.Response.StatusCode = StatusCodes.Status204NoContent;
            return;
        }

        using var request = new HttpRequestMessage(new HttpMethod(context.Request.Method), context.Request.GetEncodedUrl());
        using HttpResponseMessage response = await _invoker.SendAsync(request, context.RequestAborted);
        context.Response.StatusCode = (int)response.StatusCode;
        context.Response.ContentType = response.Content.Headers.ContentType?.ToString();
        await response.Content.CopyToAsync(context.Response.Body, context.RequestAborted);
    }
}
