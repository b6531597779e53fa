using System.Net;
using SessionGate.AspNetCore.Metrics;
using SessionGate.Testing.Metrics;

namespace SessionGate.Middleware.Tests.Metrics;

/// <summary><c>{PathPrefix}/metrics</c> on an in-process gateway: the exposition parses and the counters move.</summary>
public sealed class MetricsEndpointTests
{
    [Fact]
    public async Task Requests_MoveAuthenticationCacheAndRateLimitCounters()
    {
        await using TestGateway gateway = await TestGateway.StartAsync();
        PrometheusExposition before = await ScrapeAsync(gateway);
        string header = await gateway.HeaderAsync();

        for (int i = 0; i < 3; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await gateway.SendAsync("/limited", header)).StatusCode);
        }

        Assert.Equal(HttpStatusCode.OK, (await gateway.SendAsync("/limited", header: null)).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await gateway.SendAsync("/limited", "{not json")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await gateway.SendAsync("/private", header: null)).StatusCode);
        PrometheusExposition after = await ScrapeAsync(gateway);

        double Delta(string name, params (string, string)[] labels) => after.Sum(name, labels) - before.Sum(name, labels);
        Assert.Equal(3, Delta("sessiongate_auth_results_total", ("sessiongate_auth_result", "verified")));
        Assert.Equal(1, Delta("sessiongate_auth_results_total", ("sessiongate_auth_result", "anonymous")));
        Assert.Equal(1, Delta("sessiongate_auth_results_total", ("sessiongate_auth_result", "session_malformed")));
        Assert.Equal(1, Delta("sessiongate_auth_results_total", ("sessiongate_auth_result", "session_required")));

        // The same header three times: one miss (parse + signature check), then hits.
        Assert.Equal(2, Delta("sessiongate_auth_verdict_cache_lookups_total", ("sessiongate_cache_result", "hit")));
        // The malformed header is refused by the parse alone: it never reaches the cache.
        Assert.Equal(1, Delta("sessiongate_auth_verdict_cache_lookups_total", ("sessiongate_cache_result", "miss")));
        Assert.Equal(1, Delta("sessiongate_auth_signature_checks_total"));
        Assert.True(after.Sum("sessiongate_auth_verdict_cache_entries") >= 1);

        Assert.Equal(4, Delta("sessiongate_ratelimit_decisions_total", ("sessiongate_ratelimit_result", "allowed"), ("sessiongate_ratelimit_degraded", "false")));
        Assert.Equal("counter", after.Types["sessiongate_ratelimit_decisions_total"]);

        // The dev chain's head is at most a block interval (1 s here) old.
        Assert.Equal("gauge", after.Types["sessiongate_chain_feed_lag_seconds"]);
        Assert.InRange(after.Sum("sessiongate_chain_feed_lag_seconds"), 0, 30);
        Assert.True(after.Sum("sessiongate_chain_latest_height") >= 1);
        Assert.Equal(0, after.Sum("sessiongate_chain_poll_failures"));
    }

    [Fact]
    public async Task RateLimitRefusals_AreCountedByResult()
    {
        await using TestGateway gateway = await TestGateway.StartAsync(new()
        {
            ["SessionGate:RateLimiting:Anonymous:PermitsPerMinute"] = "1",
            ["SessionGate:RateLimiting:Anonymous:Burst"] = "1",
        });

        Assert.Equal(HttpStatusCode.OK, (await gateway.SendAsync("/limited", header: null)).StatusCode);
        Assert.Equal(HttpStatusCode.TooManyRequests, (await gateway.SendAsync("/limited", header: null)).StatusCode);
        PrometheusExposition exposition = await ScrapeAsync(gateway);

        Assert.Equal(1, exposition.Sum("sessiongate_ratelimit_decisions_total", ("sessiongate_ratelimit_result", "rate_limited")));
    }

    [Fact]
    public async Task AspNetCoreMeters_AreExposedToo()
    {
        await using TestGateway gateway = await TestGateway.StartAsync();
        await gateway.SendAsync("/open", header: null);

        PrometheusExposition exposition = await ScrapeAsync(gateway);

        Assert.Equal("histogram", exposition.Types["http_server_request_duration_seconds"]);
        Assert.True(exposition.Sum("http_server_request_duration_seconds_count", ("http_route", "/open")) >= 1);
    }

    [Fact]
    public async Task Endpoint_AnswersGetAndHead_WithThePrometheusContentType_AndRefusesOtherMethods()
    {
        await using TestGateway gateway = await TestGateway.StartAsync();

        using HttpResponseMessage get = await gateway.Client.GetAsync("/_sessiongate/metrics");
        using HttpResponseMessage head = await gateway.Client.SendAsync(new HttpRequestMessage(HttpMethod.Head, "/_sessiongate/metrics"));
        using HttpResponseMessage post = await gateway.Client.PostAsync("/_sessiongate/metrics", content: null);

        Assert.Equal(PrometheusTextWriter.ContentType, get.Content.Headers.ContentType!.ToString());
        Assert.Equal(HttpStatusCode.OK, head.StatusCode);
        Assert.Empty(await head.Content.ReadAsByteArrayAsync());
        Assert.Equal(HttpStatusCode.MethodNotAllowed, post.StatusCode);
        Assert.Equal("GET, HEAD", string.Join(", ", post.Content.Headers.Allow));
    }

    [Fact]
    public async Task Endpoint_SwitchedOff_Is404()
    {
        await using TestGateway gateway = await TestGateway.StartAsync(new() { ["SessionGate:Metrics:Enabled"] = "false" });

        Assert.Equal(HttpStatusCode.NotFound, (await gateway.Client.GetAsync("/_sessiongate/metrics")).StatusCode);
    }

    [Fact]
    public async Task ConfiguredMeters_ReplaceTheDefaults()
    {
        await using TestGateway gateway = await TestGateway.StartAsync(new() { ["SessionGate:Metrics:Meters:0"] = "SessionGate" });
        await gateway.SendAsync("/open", header: null);

        PrometheusExposition exposition = await ScrapeAsync(gateway);

        Assert.DoesNotContain(exposition.Types.Keys, name => name.StartsWith("http_server", StringComparison.Ordinal));
        Assert.Contains("sessiongate_auth_results_total", exposition.Types.Keys);
    }

    private static async Task<PrometheusExposition> ScrapeAsync(TestGateway gateway)
    {
        using HttpResponseMessage response = await gateway.Client.GetAsync(gateway.PathPrefix + "/metrics");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return PrometheusExposition.Parse(await response.Content.ReadAsStringAsync());
    }
}
