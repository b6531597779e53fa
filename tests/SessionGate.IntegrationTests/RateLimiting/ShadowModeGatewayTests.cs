using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using SessionGate.Crypto;
using SessionGate.IntegrationTests.Infrastructure;
using SessionGate.IntegrationTests.Proxy;
using SessionGate.Testing.Metrics;

namespace SessionGate.IntegrationTests.RateLimiting;

/// <summary>
/// Shadow mode in the real gateway process (<c>sessiongate serve</c>): a shadow tier and a shadow
/// route decide and count every request but refuse none; the would-be refusals show in
/// <c>/metrics</c> and in the account's usage in the admin API.
/// </summary>
[Collection(GatewayProcessCollection.Name)]
public sealed class ShadowModeGatewayTests
{
    private const string AdminKey = "9c4e1a7f3b8d2e6a0f5c9b3d7e1a4f8c2b6d0e9a3f7c1b5d8e2a6f0c4b9d3e7a";

    [Fact]
    public async Task ShadowTier_Burst5_Serves50AndReports45WouldBeRefusals()
    {
        await using FakeUpstream upstream = await FakeUpstream.StartAsync();
        Dictionary<string, string?> settings = ProxyGatewayFixture.Settings(upstream.Address, RedisServer.FreeTcpPort());
        settings["SessionGate:RateLimiting:Tiers:0:Name"] = "trial";
        settings["SessionGate:RateLimiting:Tiers:0:PermitsPerMinute"] = "1";   // no refill worth a request during the test
        settings["SessionGate:RateLimiting:Tiers:0:Burst"] = "5";
        settings["SessionGate:RateLimiting:Tiers:0:Shadow"] = "true";
        settings["SessionGate:Admin:ApiKey"] = AdminKey;
        await using GatewayProcess gateway = await GatewayProcess.StartAsync(settings);
        using Sr25519KeyPair key = TestIdentity.Key();
        using HttpClient signed = TestIdentity.SignedClient(key, gateway.Address);

        for (int i = 0; i < 50; i++)
        {
            using HttpResponseMessage response = await signed.GetAsync(new Uri($"/api/shadow?i={i}", UriKind.Relative));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.False(response.Headers.Contains("RateLimit"), "shadow mode sends no RateLimit headers unless ShadowHeaders is set");
        }

        Assert.Equal(50, upstream.Received.Count(r => r.Path.StartsWith("/api/shadow", StringComparison.Ordinal)));

        using HttpResponseMessage scrape = await gateway.Client.GetAsync(new Uri("/metrics", UriKind.Relative));
        PrometheusExposition metrics = PrometheusExposition.Parse(await scrape.Content.ReadAsStringAsync());
        (string, string) shadow = ("sessiongate_ratelimit_shadow", "true");
        (string, string) trial = ("sessiongate_ratelimit_tier", "trial");
        Assert.Equal(45, metrics.Sum("sessiongate_ratelimit_requests_total", ("sessiongate_ratelimit_result", "rate_limited"), shadow, trial));
        Assert.Equal(5, metrics.Sum("sessiongate_ratelimit_requests_total", ("sessiongate_ratelimit_result", "allowed"), shadow, trial));
        Assert.Equal(0, metrics.Sum("sessiongate_ratelimit_requests_total", ("sessiongate_ratelimit_shadow", "false")));
        Assert.Equal(1, metrics.Sum("sessiongate_ratelimit_near_limit_total", shadow, trial));   // the 5th call left 0 of 5

        using var admin = new HttpClient { BaseAddress = gateway.AdminAddress! };
        admin.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", AdminKey);
        using JsonDocument account = JsonDocument.Parse(await admin.GetStringAsync(new Uri($"/_sessiongate/admin/accounts/{TestIdentity.Account}", UriKind.Relative)));
        JsonElement usage = account.RootElement.GetProperty("usage");
        Assert.Equal(50, usage.GetProperty("requests").GetInt64());
        Assert.Equal(0, usage.GetProperty("rejected").GetInt64());
        Assert.Equal(45, usage.GetProperty("shadowRejected").GetInt64());
        Assert.True(account.RootElement.GetProperty("tier").GetProperty("shadow").GetBoolean());
    }

    [Fact]
    public async Task ShadowRouteMetadata_NeverRefuses_EnforcedRouteOnTheSameBudgetDoes()
    {
        await using FakeUpstream upstream = await FakeUpstream.StartAsync();
        Dictionary<string, string?> settings = ProxyGatewayFixture.Settings(upstream.Address, RedisServer.FreeTcpPort());
        settings["ReverseProxy:Routes:trial:ClusterId"] = "up";
        settings["ReverseProxy:Routes:trial:Match:Path"] = "/trial/{**rest}";
        settings["ReverseProxy:Routes:trial:Metadata:SessionGate.Shadow"] = "true";
        settings["SessionGate:RateLimiting:Anonymous:PermitsPerMinute"] = "1";
        settings["SessionGate:RateLimiting:Anonymous:Burst"] = "2";
        settings["SessionGate:RateLimiting:ShadowHeaders"] = "true";
        await using GatewayProcess gateway = await GatewayProcess.StartAsync(settings);

        for (int i = 0; i < 6; i++)
        {
            using HttpResponseMessage response = await gateway.Client.GetAsync(new Uri("/trial/x", UriKind.Relative));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.True(response.Headers.Contains("RateLimit"), "ShadowHeaders=true reports the limits in shadow mode");
            Assert.False(response.Headers.Contains("Retry-After"));
        }

        using HttpResponseMessage enforced = await gateway.Client.GetAsync(new Uri("/open/x", UriKind.Relative));
        await ProblemAssert.IsProblemAsync(enforced, HttpStatusCode.TooManyRequests, "rate_limited");

        using HttpResponseMessage scrape = await gateway.Client.GetAsync(new Uri("/metrics", UriKind.Relative));
        PrometheusExposition metrics = PrometheusExposition.Parse(await scrape.Content.ReadAsStringAsync());
        Assert.Equal(4, metrics.Sum("sessiongate_ratelimit_requests_total", ("sessiongate_ratelimit_result", "rate_limited"), ("sessiongate_ratelimit_shadow", "true"), ("sessiongate_ratelimit_tier", "anonymous")));
        Assert.Equal(1, metrics.Sum("sessiongate_ratelimit_requests_total", ("sessiongate_ratelimit_result", "rate_limited"), ("sessiongate_ratelimit_shadow", "false")));
    }
}
