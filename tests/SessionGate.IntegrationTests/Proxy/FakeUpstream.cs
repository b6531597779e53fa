using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace SessionGate.IntegrationTests.Proxy;

/// <summary>
/// An upstream API on real Kestrel (127.0.0.1, free port) that records the headers of every request
/// it receives. <c>/slow/…</c> never answers; <c>?redirect_to=URL</c> answers 302 to URL (until the caller gives up), for timeout tests.
/// </summary>
internal sealed class FakeUpstream : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<ReceivedRequest> _received = new();

    private FakeUpstream(WebApplication app) => _app = app;

    public Uri Address { get; private set; } = null!;

    public IReadOnlyCollection<ReceivedRequest> Received => _received;

    public static async Task<FakeUpstream> StartAsync()
    {
        WebApplicationBuilder builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        WebApplication app = builder.Build();
        var upstream = new FakeUpstream(app);
        app.Map("/slow/{**rest}", async (HttpContext context) =>
        {
            upstream.Record(context);
            await Task.Delay(Timeout.Infinite, context.RequestAborted);
        });
        app.Map("/{**rest}", (HttpContext context) =>
        {
            upstream.Record(context);
            if (context.Request.Query["redirect_to"].ToString() is { Length: > 0 } target)
            {
                // ?redirect_to=URL answers 302 Location: URL (for the client SDK's redirect tests).
                return Results.Redirect(target);
            }

            return Results.Json(new { path = context.Request.Path.Value, upstream = "fake" });
        });
        await app.StartAsync();
        upstream.Address = new Uri(app.Urls.Single());
        return upstream;
    }

    /// <summary>The request the upstream received with this marker in its query string (<c>?id=…</c>).</summary>
    public ReceivedRequest? Find(string id) => _received.FirstOrDefault(r => r.Id == id);

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private void Record(HttpContext context) => _received.Enqueue(new ReceivedRequest(
        context.Request.Query["id"].ToString(),
        context.Request.Path.Value ?? "",
        context.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase)));
}

/// <summary>What the upstream saw of one request.</summary>
internal sealed record ReceivedRequest(string Id, string Path, IReadOnlyDictionary<string, string> Headers)
{
    public string? Header(string name) => Headers.TryGetValue(name, out string? value) ? value : null;
}
