using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace SessionGate.IntegrationTests.Gateway;

/// <summary>
/// A session header whose bytes are not UTF-8 reaches SessionGate in an app of its own on Kestrel
/// (not only in the standalone gateway): <c>400 session_malformed</c>, never Kestrel's bare 400, and
/// the application's own header-encoding choices are kept for other headers.
/// </summary>
public sealed class SessionHeaderEncodingTests
{
    [Theory]
    [InlineData("kira_session")]
    [InlineData("kira-session")]
    public async Task MiddlewareOnKestrel_InvalidUtf8SessionHeader_Is400SessionMalformedProblem(string headerName)
    {
        await using GatewayApp app = await GatewayApp.StartAsync([]);
        using var client = new HttpClient(new SocketsHttpHandler { RequestHeaderEncodingSelector = (_, _) => Encoding.Latin1 })
        {
            BaseAddress = app.Client.BaseAddress,
        };
        using var request = new HttpRequestMessage(HttpMethod.Get, "/private");
        request.Headers.TryAddWithoutValidation(headerName, "{\"pubkey\":\"\u00ff\u00c0\u00af\"}");   // bytes FF C0 AF

        using HttpResponseMessage response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        using JsonDocument problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("session_malformed", problem.RootElement.GetProperty("code").GetString());
    }

    [Fact]
    public void ApplicationSelector_IsKeptForOtherHeaders()
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton<Microsoft.Extensions.Configuration.IConfiguration>(new Microsoft.Extensions.Configuration.ConfigurationBuilder().Build());
        services.Configure<KestrelServerOptions>(o => o.RequestHeaderEncodingSelector = name => name == "x-legacy" ? Encoding.Latin1 : null);
        services.AddSessionGate();
        using ServiceProvider provider = services.BuildServiceProvider();

        Func<string, Encoding?> selector = provider.GetRequiredService<IOptions<KestrelServerOptions>>().Value.RequestHeaderEncodingSelector;

        Assert.Same(Encoding.Latin1, selector("kira_session"));
        Assert.Same(Encoding.Latin1, selector("KIRA-SESSION"));
        Assert.Same(Encoding.Latin1, selector("x-legacy"));
        Assert.Null(selector("x-other"));
    }
}
