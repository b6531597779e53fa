using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using SessionGate.Crypto;
using SessionGate.Protocol;
using SessionGate.RateLimiting;
using SessionGate.AspNetCore.RateLimiting;

namespace SessionGate.IntegrationTests.Gateway;

/// <summary>
/// An ASP.NET Core app using AddSessionGate/UseSessionGate on real Kestrel (127.0.0.1, free port),
/// with one registered key and a route that requires a session.
/// </summary>
internal sealed class GatewayApp : IAsyncDisposable
{
    private GatewayApp(WebApplication app)
    {
        App = app;
        Client = new HttpClient { BaseAddress = new Uri(app.Urls.Single()) };
    }

    public WebApplication App { get; }

    public HttpClient Client { get; }

    public T Service<T>()
        where T : notnull => App.Services.GetRequiredService<T>();

    public static Sr25519KeyPair Key() => Sr25519KeyPair.FromMiniSecret(Enumerable.Repeat((byte)0x42, 32).ToArray());

    public static string Account { get; } = AccountAddress.Encode("kira", Enumerable.Repeat((byte)0x24, 20).ToArray());

    public static async Task<GatewayApp> StartAsync(Dictionary<string, string?> settings)
    {
        using Sr25519KeyPair key = Key();
        var configuration = new Dictionary<string, string?>
        {
            ["SessionGate:Keys:0:PublicKey"] = HexCodec.Encode(key.PublicKey),
            ["SessionGate:Keys:0:Account"] = Account,
            ["SessionGate:Keys:0:Expires"] = "2099-01-01T00:00:00Z",
        };
        foreach ((string name, string? value) in settings)
        {
            configuration[name] = value;
        }

        WebApplicationBuilder builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        builder.Configuration.AddInMemoryCollection(configuration);
        builder.Services.AddSessionGate();
        WebApplication app = builder.Build();
        app.UseSessionGate();
        app.UseRateLimiter();
        app.MapGet("/private", (HttpContext c) => c.User.FindFirst("account")?.Value).RequireSession();
        app.MapGet("/limited", (HttpContext c) => c.User.FindFirst("tier")?.Value ?? "anonymous").RequireRateLimiting(SessionGatePolicyNames.PerAccount);
        await app.StartAsync();
        return new GatewayApp(app);
    }

    public Task<(int Status, string? Code)> GetPrivateAsync(string? header) => GetAsync("/private", header);

    public async Task<(int Status, string? Code)> GetAsync(string path, string? header)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (header is not null)
        {
            request.Headers.TryAddWithoutValidation("kira_session", header);
        }

        using HttpResponseMessage response = await Client.SendAsync(request);
        string body = await response.Content.ReadAsStringAsync();
        string? code = response.Content.Headers.ContentType?.MediaType == "application/problem+json"
            ? JsonDocument.Parse(body).RootElement.GetProperty("code").GetString()
            : null;
        return ((int)response.StatusCode, code);
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await App.StopAsync();
        await App.DisposeAsync();
    }
}
