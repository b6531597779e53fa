using System.Net;

namespace SessionGate.IntegrationTests.Proxy;

/// <summary>
/// ASP.NET Core runs the SessionGate scheme on every request (WebApplication adds the authentication
/// middleware, and the lone scheme is the default): junk headers on paths SessionGate does not guard
/// (health, the gateway's own endpoints) must cost nothing and never count towards blocking the
/// address, while the same junk on a proxied route still does.
/// </summary>
[Collection(GatewayProcessCollection.Name)]
public sealed class UnguardedPathsTests
{
    [Fact]
    public async Task JunkHeadersOnUnguardedPaths_NeverBlockTheAddress_OnAProxiedRouteTheyDo()
    {
        await using FakeUpstream upstream = await FakeUpstream.StartAsync();
        Dictionary<string, string?> settings = ProxyGatewayFixture.Settings(upstream.Address, Infrastructure.RedisServer.FreeTcpPort());
        settings["SessionGate:ClientBlocking:FailureThreshold"] = "3";
        await using GatewayProcess gateway = await GatewayProcess.StartAsync(settings);

        foreach (string path in new[] { "/healthz", "/readyz", "/_sessiongate/block", "/_sessiongate/version", "/_sessiongate/methods" })
        {
            for (int i = 0; i < 4; i++)
            {
                using HttpResponseMessage response = await SendJunkAsync(gateway, path);
                Assert.True(response.StatusCode != HttpStatusCode.TooManyRequests, $"{path} #{i}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
            }

            using HttpResponseMessage stillOpen = await gateway.Client.GetAsync(new Uri("/open/x", UriKind.Relative));
            Assert.True(stillOpen.StatusCode == HttpStatusCode.OK, $"after junk on {path}: {(int)stillOpen.StatusCode} {await stillOpen.Content.ReadAsStringAsync()}");
        }

        using (HttpResponseMessage anonymous = await gateway.Client.GetAsync(new Uri("/open/x", UriKind.Relative)))
        {
            Assert.True(anonymous.StatusCode == HttpStatusCode.OK, $"{(int)anonymous.StatusCode} {await anonymous.Content.ReadAsStringAsync()}");
        }

        // The control: the same junk on a guarded route is refused and blocks the address at the threshold.
        for (int i = 0; i < 3; i++)
        {
            using HttpResponseMessage refused = await SendJunkAsync(gateway, "/open/x");
            await ProblemAssert.IsProblemAsync(refused, HttpStatusCode.BadRequest, "session_malformed");
        }

        using HttpResponseMessage blocked = await gateway.Client.GetAsync(new Uri("/open/x", UriKind.Relative));
        await ProblemAssert.IsProblemAsync(blocked, HttpStatusCode.TooManyRequests, "ip_blocked");
    }

    private static async Task<HttpResponseMessage> SendJunkAsync(GatewayProcess gateway, string path)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.TryAddWithoutValidation("kira_session", "{not a session}");
        return await gateway.Client.SendAsync(request);
    }
}
