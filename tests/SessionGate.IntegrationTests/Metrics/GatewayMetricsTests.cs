using System.Net;
using SessionGate.Crypto;
using SessionGate.IntegrationTests.Infrastructure;
using SessionGate.IntegrationTests.Proxy;
using SessionGate.Testing.Metrics;

namespace SessionGate.IntegrationTests.Metrics;

/// <summary>
/// The standalone gateway's <c>/metrics</c> (and <c>{PathPrefix}/metrics</c>) through a real process
/// with real Redis: the exposition parses, request counters and the Redis commands sent move, and killing Redis shows up as
/// limiter Redis failures and a switch to the fallback.
/// </summary>
[Collection(GatewayProcessCollection.Name)]
public sealed class GatewayMetricsTests
{
    [Fact]
    public async Task Scrape_ParsesAndCountsRequests_AndRedisTroubleIsCounted()
    {
        await using RedisServer redis = await RedisServer.StartAsync();
        await using FakeUpstream upstream = await FakeUpstream.StartAsync();
        Dictionary<string, string?> settings = ProxyGatewayFixture.SettingsWithRedis(upstream.Address, redis);
        settings["SessionGate:RateLimiting:RedisRetryInterval"] = "00:00:01";
        await using GatewayProcess gateway = await GatewayProcess.StartAsync(settings);
        using Sr25519KeyPair key = TestIdentity.Key();
        using HttpClient signed = TestIdentity.SignedClient(key, gateway.Address);

        for (int i = 0; i < 5; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await signed.GetAsync(new Uri("/api/x", UriKind.Relative))).StatusCode);
        }

        PrometheusExposition healthy = await ScrapeAsync(gateway, "/metrics");
        Assert.Equal(5, healthy.Sum("sessiongate_auth_results_total", ("sessiongate_auth_result", "verified")));
        Assert.Equal(5, healthy.Sum("sessiongate_ratelimit_decisions_total", ("sessiongate_ratelimit_result", "allowed"), ("sessiongate_ratelimit_degraded", "false")));
        Assert.True(healthy.Sum("sessiongate_auth_verdict_cache_lookups_total", ("sessiongate_cache_result", "hit")) >= 4, "the SDK reuses its header");
        Assert.True(healthy.Has("sessiongate_chain_feed_lag_seconds"));
        Assert.Equal(0, healthy.Sum("sessiongate_ratelimit_redis_failures_total"));

        // Commands the gateway's Redis client sent: at least the seeded key's and the decisions' scripts.
        double sent = healthy.Sum("sessiongate_redis_operations_total");
        Assert.True(sent >= 1, $"{sent} Redis commands sent");
        Assert.True((await ScrapeAsync(gateway, "/metrics")).Sum("sessiongate_redis_operations_total") >= sent, "a counter never goes down");

        await redis.KillAsync();
        await Eventually.HoldsAsync(
            async () =>
            {
                using HttpResponseMessage response = await signed.GetAsync(new Uri("/api/x", UriKind.Relative));
                Assert.Equal(HttpStatusCode.OK, response.StatusCode);   // LocalFallback: served, limited locally
                PrometheusExposition outage = await ScrapeAsync(gateway, "/_sessiongate/metrics");
                return outage.Sum("sessiongate_ratelimit_redis_failures_total") >= 1
                    && outage.Sum("sessiongate_ratelimit_fallback_switches_total", ("sessiongate_ratelimit_switch", "to_fallback")) >= 1
                    && outage.Sum("sessiongate_ratelimit_decisions_total", ("sessiongate_ratelimit_degraded", "true")) >= 1;
            },
            TimeSpan.FromSeconds(30),
            "Redis failures, the switch to the fallback and degraded decisions are counted");

        // The test's Redis has no persistence, so the restarted one has lost the seeded key:
        // anonymous requests (limited per address) show the limiter back on Redis.
        await redis.RestartAsync();
        await Eventually.HoldsAsync(
            async () =>
            {
                using HttpResponseMessage response = await gateway.Client.GetAsync(new Uri("/open/x", UriKind.Relative));
                PrometheusExposition recovered = await ScrapeAsync(gateway, "/metrics");
                return recovered.Sum("sessiongate_ratelimit_fallback_switches_total", ("sessiongate_ratelimit_switch", "to_redis")) >= 1;
            },
            TimeSpan.FromSeconds(30),
            "the switch back to Redis is counted");
    }

    private static async Task<PrometheusExposition> ScrapeAsync(GatewayProcess gateway, string path)
    {
        using HttpResponseMessage response = await gateway.Client.GetAsync(new Uri(path, UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/plain", response.Content.Headers.ContentType!.MediaType);
        return PrometheusExposition.Parse(await response.Content.ReadAsStringAsync());
    }
}
