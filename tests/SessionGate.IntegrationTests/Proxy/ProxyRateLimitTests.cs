using System.Net;
using SessionGate.Crypto;
using SessionGate.IntegrationTests.Infrastructure;
using SessionGate.Testing.Http;

namespace SessionGate.IntegrationTests.Proxy;

/// <summary>Rate limiting in the real gateway process (<c>sessiongate serve</c>), alone and two processes on one Redis.</summary>
[Collection(GatewayProcessCollection.Name)]
public sealed class ProxyRateLimitTests
{
    private static Dictionary<string, string?> TinyTier(Uri upstream)
    {
        Dictionary<string, string?> settings = ProxyGatewayFixture.Settings(upstream, RedisServer.FreeTcpPort());
        settings["SessionGate:RateLimiting:Tiers:0:Name"] = "tiny";
        settings["SessionGate:RateLimiting:Tiers:0:MinBalance"] = "0";
        settings["SessionGate:RateLimiting:Tiers:0:PermitsPerMinute"] = "1";
        settings["SessionGate:RateLimiting:Tiers:0:Burst"] = "6";
        return settings;
    }

    [Fact]
    public async Task Gateway_QuotaExhausted_Returns429WithRateLimitHeadersAndForwardsTheTier()
    {
        await using FakeUpstream upstream = await FakeUpstream.StartAsync();
        await using GatewayProcess gateway = await GatewayProcess.StartAsync(TinyTier(upstream.Address));
        using Sr25519KeyPair key = TestIdentity.Key();
        using HttpClient client = TestIdentity.SignedClient(key, gateway.Address);

        string id = Guid.NewGuid().ToString("N");
        using HttpResponseMessage first = await client.GetAsync(new Uri($"/costly/x?id={id}", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal("\"tiny\";q=6;w=360", first.Headers.GetValues("RateLimit-Policy").Single());
        // The policy describes what r counts: burst 6 (q), refilled at 1 per minute in 360 s (w); the
        // cost-5 route left 1 of the 6, and the bucket is full again within w.
        StructuredItem policy = StructuredFieldParser.ParseList(string.Join(", ", first.Headers.GetValues("RateLimit-Policy"))).Single();
        StructuredItem remaining = StructuredFieldParser.ParseList(string.Join(", ", first.Headers.GetValues("RateLimit"))).Single();
        Assert.Equal(policy.Name, remaining.Name);
        Assert.Equal(1, remaining.Integer("r"));
        Assert.Equal(policy.Integer("q") - 5, remaining.Integer("r"));
        Assert.InRange(remaining.Integer("t"), 1, policy.Integer("w"));
        Assert.Equal("tiny", upstream.Find(id)!.Header("X-SessionGate-Tier"));

        using HttpResponseMessage refused = await client.GetAsync(new Uri("/costly/x", UriKind.Relative));
        await ProblemAssert.IsProblemAsync(refused, HttpStatusCode.TooManyRequests, "rate_limited");
        Assert.StartsWith("\"tiny\";r=1;t=", refused.Headers.GetValues("RateLimit").Single(), StringComparison.Ordinal);
        Assert.True(refused.Headers.RetryAfter?.Delta >= TimeSpan.FromSeconds(1));

        // The remaining unit still pays for a cost-1 route.
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(new Uri("/api/y", UriKind.Relative))).StatusCode);
    }

    [Fact]
    public async Task TwoGatewayProcesses_OneRedis_ShareOneQuota()
    {
        await using RedisServer redis = await RedisServer.StartAsync();
        await using FakeUpstream upstream = await FakeUpstream.StartAsync();
        Dictionary<string, string?> settings = TinyTier(upstream.Address);
        settings["SessionGate:Redis"] = redis.Configuration;
        settings["SessionGate:RedisKeyPrefix"] = $"test-{Guid.NewGuid():N}:";
        settings["SessionGate:RedisTimeout"] = "00:00:02";
        await using GatewayProcess a = await GatewayProcess.StartAsync(settings);
        await using GatewayProcess b = await GatewayProcess.StartAsync(settings);
        using Sr25519KeyPair key = TestIdentity.Key();
        using HttpClient viaA = TestIdentity.SignedClient(key, a.Address);
        using HttpClient viaB = TestIdentity.SignedClient(key, b.Address);

        var statuses = new List<HttpStatusCode>();
        for (int i = 0; i < 10; i++)
        {
            using HttpResponseMessage response = await (i % 2 == 0 ? viaA : viaB).GetAsync(new Uri("/api/z", UriKind.Relative));
            statuses.Add(response.StatusCode);
        }

        Assert.Equal(6, statuses.Count(s => s == HttpStatusCode.OK));
        Assert.Equal(4, statuses.Count(s => s == HttpStatusCode.TooManyRequests));
    }
}
