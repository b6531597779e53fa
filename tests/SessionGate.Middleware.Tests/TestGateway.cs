using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using SessionGate.Crypto;
using SessionGate.Protocol;
using SessionGate.RateLimiting;
using SessionGate.AspNetCore.RateLimiting;

namespace SessionGate.Middleware.Tests;

/// <summary>
/// An in-process app using AddSessionGate/UseSessionGate on a TestServer, with the dev chain and a
/// registered key, and endpoints that echo the caller's identity.
/// </summary>
internal sealed class TestGateway : IAsyncDisposable
{
    public const string Seed = "0x0707070707070707070707070707070707070707070707070707070707070707";

    private TestGateway(WebApplication app, Sr25519KeyPair key, string account, string pathPrefix)
    {
        PathPrefix = pathPrefix;
        App = app;
        Key = key;
        Account = account;
        Client = app.GetTestClient();
    }

    public WebApplication App { get; }

    public string PathPrefix { get; }

    public HttpClient Client { get; }

    public Sr25519KeyPair Key { get; }

    public string Account { get; }

    public static string AccountFor(int seed)
    {
        byte[] payload = new byte[20];
        new Random(seed).NextBytes(payload);
        return AccountAddress.Encode("kira", payload);
    }

    public static async Task<TestGateway> StartAsync(Dictionary<string, string?>? settings = null, Action<WebApplication>? mapMore = null, Action<IServiceCollection>? services = null)
    {
        Sr25519KeyPair key = Sr25519KeyPair.FromMiniSecret(Convert.FromHexString(Seed[2..]));
        string account = AccountFor(1);
        var configuration = new Dictionary<string, string?>
        {
            ["SessionGate:Keys:0:PublicKey"] = HexCodec.Encode(key.PublicKey),
            ["SessionGate:Keys:0:Account"] = account,
            ["SessionGate:Keys:0:Expires"] = "2099-01-01T00:00:00Z",
            ["SessionGate:Chain:Dev:BlockInterval"] = "00:00:01",
        };
        foreach ((string name, string? value) in settings ?? [])
        {
            configuration[name] = value;
        }

        WebApplicationBuilder builder = WebApplication.CreateBuilder();
        builder.WebHost.UseTestServer();
        builder.Configuration.AddInMemoryCollection(configuration);
        services?.Invoke(builder.Services);
        builder.Services.AddSessionGate();
        WebApplication app = builder.Build();
        app.UseSessionGate();
        app.UseRateLimiter();
        app.MapGet("/open", (HttpContext c) => Identity(c));
        app.MapGet("/limited", (HttpContext c) => Identity(c)).RequireRateLimiting(SessionGatePolicyNames.PerAccount);
        app.MapGet("/costly", (HttpContext c) => Identity(c)).RequireRateLimiting(SessionGatePolicyNames.PerAccount).WithSessionGateCost(5);
        app.MapGet("/private", (HttpContext c) => Identity(c)).RequireSession();
        app.MapPost("/private", (HttpContext c) => Identity(c)).RequireSession();
        app.MapGet("/bypass", () => "bypass").DisableSessionGate();
        app.MapGet("/off", () => "never").DisableRoute();
        mapMore?.Invoke(app);
        await app.StartAsync();

        var gateway = new TestGateway(app, key, account, configuration.GetValueOrDefault("SessionGate:PathPrefix") ?? "/_sessiongate");
        await gateway.WaitForBlockAsync();
        return gateway;
    }

    private static IResult Identity(HttpContext context) => Results.Json(new
    {
        authenticated = context.User.Identity?.IsAuthenticated ?? false,
        account = context.User.FindFirst("account")?.Value,
        session_key = context.User.FindFirst("session_key")?.Value,
        tier = context.User.FindFirst("tier")?.Value,
    });

    /// <summary>The latest block as the gateway reports it at /_sessiongate/block.</summary>
    public async Task<string> LatestBlockHashAsync()
    {
        using JsonDocument block = JsonDocument.Parse(await Client.GetStringAsync(PathPrefix + "/block"));
        return block.RootElement.GetProperty("hash").GetString()!;
    }

    public async Task<string> HeaderAsync(Sr25519KeyPair? key = null, string? account = null, ulong nonce = 0) =>
        KiraSessionHeader.Create(key ?? Key, account ?? Account, await LatestBlockHashAsync(), nonce);

    public async Task<HttpResponseMessage> SendAsync(string path, string? header, string method = "GET", string headerName = "kira_session")
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), path);
        if (header is not null)
        {
            request.Headers.TryAddWithoutValidation(headerName, header);
        }

        return await Client.SendAsync(request);
    }

    private async Task WaitForBlockAsync()
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (DateTime.UtcNow < deadline)
        {
            HttpResponseMessage response = await Client.GetAsync(PathPrefix + "/block");
            if (response.IsSuccessStatusCode)
            {
                return;
            }

            await Task.Delay(10);
        }

        throw new TimeoutException("The dev chain produced no block.");
    }

    public async ValueTask DisposeAsync()
    {
        Key.Dispose();
        await App.StopAsync();
        await App.DisposeAsync();
    }
}

internal static class ProblemAssert
{
    public static async Task<JsonElement> IsProblemAsync(HttpResponseMessage response, int status, string code)
    {
        string body = await response.Content.ReadAsStringAsync();
        Assert.True(status == (int)response.StatusCode, $"expected {status}, got {(int)response.StatusCode}: {body}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        JsonElement json = JsonDocument.Parse(body).RootElement;
        Assert.Equal(code, json.GetProperty("code").GetString());
        Assert.Equal(status, json.GetProperty("status").GetInt32());
        Assert.Equal("urn:sessiongate:problem:" + code, json.GetProperty("type").GetString());
        Assert.False(string.IsNullOrEmpty(json.GetProperty("title").GetString()));
        return json;
    }
}
