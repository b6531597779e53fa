using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using SessionGate.Protocol;

namespace SessionGate.Proxy.Tests.Commands;

/// <summary>
/// Just enough of a gateway for <c>sessiongate request</c>, on real Kestrel: <c>{prefix}/block</c>,
/// <c>/api/echo</c> (checks the session header's signature, echoes the request with RateLimit headers)
/// and <c>/api/limited</c> (429 with Retry-After).
/// </summary>
internal sealed class FakeGatewayServer : IAsyncDisposable
{
    public const string BlockHash = "0F5AC4F2C1F7AE2D3F3E1E73B7C0E5D3E0C1A6B2F4B9D8E7A6C5B4A3928170FE";

    private readonly WebApplication _app;

    private FakeGatewayServer(WebApplication app) => _app = app;

    public string Url => _app.Urls.Single();

    public static async Task<FakeGatewayServer> StartAsync(string pathPrefix = "/_sessiongate")
    {
        WebApplicationBuilder builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        WebApplication app = builder.Build();
        app.MapGet(pathPrefix + "/block", () => Results.Json(new { height = 7, hash = BlockHash, time = "2030-01-01T00:00:00Z" }));
        app.Map("/api/echo", async (HttpContext context) =>
        {
            string header = context.Request.Headers["kira_session"].ToString();
            bool valid = KiraSessionHeader.TryParse(header, "kira", out KiraSessionHeader? parsed, out _) && parsed!.VerifySignature("substrate"u8) && parsed.BlockHashText == BlockHash;
            if (!valid)
            {
                return Results.Problem(statusCode: 401, extensions: new Dictionary<string, object?> { ["code"] = "signature_invalid" });
            }

            context.Response.Headers["RateLimit"] = "\"per-account\";r=59;t=1";
            context.Response.Headers["RateLimit-Policy"] = "\"per-account\";q=60;w=60";
            using var reader = new StreamReader(context.Request.Body);
            return Results.Json(new
            {
                method = context.Request.Method,
                account = parsed!.Account,
                body = await reader.ReadToEndAsync(),
                content_type = context.Request.ContentType,
                x_test = context.Request.Headers["X-Test"].ToString(),
            });
        });
        app.Map("/api/limited", (HttpContext context) =>
        {
            context.Response.Headers["RateLimit"] = "\"per-account\";r=0;t=30";
            context.Response.Headers.RetryAfter = "30";
            return Results.Problem(statusCode: 429, title: "Rate limit exceeded", extensions: new Dictionary<string, object?> { ["code"] = "rate_limited" });
        });
        await app.StartAsync();
        return new FakeGatewayServer(app);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
