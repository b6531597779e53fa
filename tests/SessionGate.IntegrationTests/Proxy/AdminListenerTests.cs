using System.Net;
using System.Net.Http.Headers;
using SessionGate.IntegrationTests.Infrastructure;

namespace SessionGate.IntegrationTests.Proxy;

/// <summary>
/// Issue 17 finding 7: the admin API, the dashboard and the demo page (whose secrets live in the
/// browser's storage for their origin) are not served on the public port, only on the admin listener.
/// </summary>
[Collection(GatewayProcessCollection.Name)]
public sealed class AdminListenerTests
{
    private const string ApiKey = "5c0f2e8a91b7d3c6e4a2f0b8d6c4e2a0f9e7d5c3b1a9f7e5d3c1b9a7f5e3d1c0";

    private static readonly string[] AdminPaths = ["/_sessiongate/admin/blocked", "/_sessiongate/dashboard", "/_sessiongate/demo"];

    [Fact]
    public async Task Serve_AdminUrlsSet_PublicPortDoesNotAnswerAdminDashboardOrDemoButTheAdminPortDoes()
    {
        await using FakeUpstream upstream = await FakeUpstream.StartAsync();
        Dictionary<string, string?> settings = ProxyGatewayFixture.Settings(upstream.Address, RedisServer.FreeTcpPort());
        settings["SessionGate:Admin:ApiKey"] = ApiKey;
        await using GatewayProcess gateway = await GatewayProcess.StartAsync(settings);
        Uri admin = Assert.IsType<Uri>(gateway.AdminAddress);

        foreach (string path in AdminPaths)
        {
            using HttpResponseMessage onPublic = await SendAsync(gateway.Address, path);
            using HttpResponseMessage onAdmin = await SendAsync(admin, path);
            Assert.True(onPublic.StatusCode == HttpStatusCode.NotFound, $"{path} on the public port: {(int)onPublic.StatusCode}");
            Assert.True(onAdmin.StatusCode == HttpStatusCode.OK, $"{path} on the admin port: {(int)onAdmin.StatusCode}");
        }

        // Proxied routes still answer on both (the demo page calls them), but on the admin listener a
        // proxied document is sandboxed: no script of the upstream runs with the admin origin.
        using HttpResponseMessage proxiedPublic = await SendAsync(gateway.Address, "/open/page");
        using HttpResponseMessage proxiedAdmin = await SendAsync(admin, "/open/page");
        Assert.Equal(HttpStatusCode.OK, proxiedPublic.StatusCode);
        Assert.False(proxiedPublic.Headers.Contains("Content-Security-Policy"));
        Assert.Equal(HttpStatusCode.OK, proxiedAdmin.StatusCode);
        Assert.Equal("sandbox", string.Join(",", proxiedAdmin.Headers.GetValues("Content-Security-Policy")));
    }

    [Fact]
    public async Task Serve_ApiKeyWithoutAdminUrls_AdminSurfacesServedNowhereWithAWarning()
    {
        await using FakeUpstream upstream = await FakeUpstream.StartAsync();
        Dictionary<string, string?> settings = ProxyGatewayFixture.Settings(upstream.Address, RedisServer.FreeTcpPort());
        settings["SessionGate:Admin:ApiKey"] = ApiKey;
        settings[GatewayProcess.AdminUrlsKey] = null;   // not set: the serve default applies
        await using GatewayProcess gateway = await GatewayProcess.StartAsync(settings);

        foreach (string path in AdminPaths)
        {
            using HttpResponseMessage response = await SendAsync(gateway.Address, path);
            Assert.True(response.StatusCode == HttpStatusCode.NotFound, $"{path}: {(int)response.StatusCode}");
        }

        Assert.Contains("SessionGate:Admin:Urls", gateway.Process.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Serve_ServeOnPublicPortTrue_OldBehaviourOnThePublicPort()
    {
        await using FakeUpstream upstream = await FakeUpstream.StartAsync();
        Dictionary<string, string?> settings = ProxyGatewayFixture.Settings(upstream.Address, RedisServer.FreeTcpPort());
        settings["SessionGate:Admin:ApiKey"] = ApiKey;
        settings["SessionGate:Admin:ServeOnPublicPort"] = "true";
        await using GatewayProcess gateway = await GatewayProcess.StartAsync(settings);

        foreach (string path in AdminPaths)
        {
            using HttpResponseMessage response = await SendAsync(gateway.Address, path);
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{path}: {(int)response.StatusCode}");
        }
    }

    [Fact]
    public async Task Demo_PrintsAdminUrlsOnTheirOwnPort_PublicPortDoesNotServeThem()
    {
        await using ChildProcess demo = ChildProcess.StartSessionGate(["demo"]);
        await demo.WaitForLineAsync(l => l.Contains("Press Ctrl+C", StringComparison.Ordinal), TimeSpan.FromSeconds(90), "the demo prints its instructions");
        string[] lines = demo.Output.Split('\n');
        var dashboard = new Uri(Word(lines, "dashboard ", 1));
        var page = new Uri(Word(lines, "browser demo ", 2));
        var api = new Uri(lines.Select(l => l.Trim()).First(l => l.StartsWith("gateway ", StringComparison.Ordinal)).Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]);

        Assert.NotEqual(api.Port, dashboard.Port);
        Assert.Equal(dashboard.Port, page.Port);
        using (HttpResponseMessage onAdmin = await SendAsync(dashboard, dashboard.PathAndQuery))
        {
            Assert.Equal(HttpStatusCode.OK, onAdmin.StatusCode);
        }

        foreach (string path in AdminPaths)
        {
            using HttpResponseMessage onPublic = await SendAsync(api, path);
            Assert.True(onPublic.StatusCode == HttpStatusCode.NotFound, $"{path} on the demo's public port: {(int)onPublic.StatusCode}");
        }
    }

    private static string Word(string[] lines, string start, int index) =>
        lines.Select(l => l.Trim()).First(l => l.StartsWith(start, StringComparison.Ordinal)).Split(' ', StringSplitOptions.RemoveEmptyEntries)[index];

    private static async Task<HttpResponseMessage> SendAsync(Uri origin, string path)
    {
        using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(origin, path));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", ApiKey);
        return await client.SendAsync(request);
    }
}
