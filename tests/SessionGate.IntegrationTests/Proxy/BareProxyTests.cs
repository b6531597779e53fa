using System.Net;
using SessionGate.IntegrationTests.Infrastructure;
using SessionGate.Testing.Metrics;

namespace SessionGate.IntegrationTests.Proxy;

/// <summary>
/// <c>sessiongate serve --bare-proxy</c>, the load benchmark's baseline: the same YARP configuration
/// with SessionGate off. Every SessionGate step must really be gone, or the baseline would flatter it.
/// </summary>
[Collection(GatewayProcessCollection.Name)]
public sealed class BareProxyTests
{
    [Fact]
    public async Task BareProxy_SessionGateStepsAreAllOff_RequestsReachUpstreamUntouched()
    {
        await using FakeUpstream upstream = await FakeUpstream.StartAsync();
        Dictionary<string, string?> settings = ProxyGatewayFixture.Settings(upstream.Address, RedisServer.FreeTcpPort());

        // Limits that would refuse the second anonymous call if rate limiting ran.
        settings["SessionGate:RateLimiting:Anonymous:PermitsPerMinute"] = "1";
        settings["SessionGate:RateLimiting:Anonymous:Burst"] = "1";
        await using GatewayProcess gateway = await GatewayProcess.StartAsync(settings, bareProxy: true);

        // /api requires a session and /off is disabled when SessionGate runs; a malformed header would be 400.
        string[] ids = [.. Enumerable.Range(0, 3).Select(_ => Guid.NewGuid().ToString("N"))];
        foreach (string id in ids)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/x?id={id}");
            request.Headers.TryAddWithoutValidation("kira_session", "not a header");
            request.Headers.TryAddWithoutValidation("X-SessionGate-Account", "spoofed");
            using HttpResponseMessage response = await gateway.Client.SendAsync(request);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        string offId = Guid.NewGuid().ToString("N");
        using HttpResponseMessage off = await gateway.Client.GetAsync(new Uri($"/off/x?id={offId}", UriKind.Relative));
        using HttpResponseMessage block = await gateway.Client.GetAsync(new Uri("/_sessiongate/block", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, off.StatusCode);
        Assert.NotNull(upstream.Find(offId));
        foreach (string id in ids)
        {
            ReceivedRequest received = Assert.IsType<ReceivedRequest>(upstream.Find(id));
            Assert.Equal("not a header", received.Header("kira_session"));

            // No identity transform either: what the client sent is forwarded as is (hence "never for clients").
            Assert.Equal("spoofed", received.Header("X-SessionGate-Account"));
        }

        Assert.Equal(HttpStatusCode.NotFound, block.StatusCode);
        Assert.Contains("SessionGate is OFF", gateway.Process.Output, StringComparison.Ordinal);

        // Not even authentication runs: with SessionGate the only scheme, ASP.NET Core's own
        // authentication middleware would otherwise verify every header (a miss for each one above).
        using HttpResponseMessage metrics = await gateway.Client.GetAsync(new Uri("/metrics", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, metrics.StatusCode);
        PrometheusExposition exposition = PrometheusExposition.Parse(await metrics.Content.ReadAsStringAsync());
        Assert.Equal(0, exposition.Sum("sessiongate_auth_verdict_cache_lookups_total"));
    }
}
