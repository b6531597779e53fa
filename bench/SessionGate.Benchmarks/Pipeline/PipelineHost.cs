using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using SessionGate.AspNetCore.RateLimiting;

namespace SessionGate.Benchmarks.Pipeline;

/// <summary>
/// One in-process app on a <see cref="CapturingServer"/>: either the bare pipeline (routing and an
/// endpoint answering 200) or the same with SessionGate composed as <c>sessiongate serve</c> does it
/// (UseRouting, UseSessionGate, UseAuthorization, UseRateLimiter, the per-account policy on the route).
/// </summary>
internal sealed class PipelineHost : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly CapturingServer _server;

    private PipelineHost(WebApplication app, CapturingServer server)
    {
        _app = app;
        _server = server;
    }

    public const string RoutePath = "/api/item";

    public static async Task<PipelineHost> StartAsync(Dictionary<string, string?>? sessionGateSettings)
    {
        WebApplicationBuilder builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        var server = new CapturingServer();
        builder.Services.AddSingleton<IServer>(server);
        bool sessionGate = sessionGateSettings is not null;
        if (sessionGate)
        {
            builder.Configuration.AddInMemoryCollection(sessionGateSettings!);
            builder.Services.AddSessionGate();
        }

        WebApplication app = builder.Build();
        app.UseRouting();
        if (sessionGate)
        {
            app.UseSessionGate();
            app.UseAuthorization();
            app.UseRateLimiter();
        }

        IEndpointConventionBuilder route = app.Map(RoutePath, (RequestDelegate)(context =>
        {
            context.Response.StatusCode = StatusCodes.Status200OK;
            return Task.CompletedTask;
        }));
        if (sessionGate)
        {
            route.RequireRateLimiting(SessionGatePolicyNames.PerAccount);
        }

        await app.StartAsync().ConfigureAwait(false);
        return new PipelineHost(app, server);
    }

    public Task<int> SendAsync(string path, string? header, Stream? body = null)
    {
        var request = new HttpRequestFeature { Method = HttpMethods.Get, Scheme = "http", Protocol = "HTTP/1.1", Path = path };
        request.Headers.Host = "gateway.test";
        if (header is not null)
        {
            request.Headers["kira_session"] = header;
        }

        var features = new FeatureCollection();
        features.Set<IHttpRequestFeature>(request);
        features.Set<IHttpResponseFeature>(new HttpResponseFeature());
        features.Set<IHttpResponseBodyFeature>(new StreamResponseBodyFeature(body ?? Stream.Null));
        features.Set<IHttpConnectionFeature>(new HttpConnectionFeature { RemoteIpAddress = IPAddress.Loopback, RemotePort = 40000, LocalIpAddress = IPAddress.Loopback, LocalPort = 8080 });
        return _server.SendAsync(features);
    }

    /// <summary>The gateway's latest block hash, read from its own endpoint as a client would.</summary>
    public async Task<string> LatestBlockHashAsync()
    {
        var body = new MemoryStream();
        int status = await SendAsync("/_sessiongate/block", null, body).ConfigureAwait(false);
        if (status != StatusCodes.Status200OK)
        {
            throw new InvalidOperationException($"/_sessiongate/block answered {status}");
        }

        using JsonDocument block = JsonDocument.Parse(body.ToArray());
        return block.RootElement.GetProperty("hash").GetString()!;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync().ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
    }
}
