using System.Diagnostics;
using System.Net;
using SessionGate.Crypto;
using SessionGate.IntegrationTests.Faults;
using SessionGate.IntegrationTests.Infrastructure;
using SessionGate.IntegrationTests.Proxy;
using Xunit.Abstractions;

namespace SessionGate.IntegrationTests.RateLimiting;

/// <summary>
/// Leased permits through three real gateway processes (<c>sessiongate serve</c>) on one Redis: one
/// account's requests spread over the three admit no more than the shared limit + 1 % and no less than
/// the limit minus instances × block; refusals are <c>429 rate_limited</c>.
/// </summary>
[Collection(GatewayProcessCollection.Name)]
public sealed class LeasedPermitGatewayTests(ITestOutputHelper output)
{
    [Fact]
    public async Task ThreeGateways_OneRedis_AdmitTheSharedBurstWithinTheLeaseBounds()
    {
        await using RedisServer redis = await RedisServer.StartAsync();
        await using FakeUpstream upstream = await FakeUpstream.StartAsync();
        Dictionary<string, string?> settings = ProxyGatewayFixture.Settings(upstream.Address, RedisServer.FreeTcpPort());
        FaultRig.UseRedis(settings, redis, TimeSpan.FromSeconds(2));
        settings["SessionGate:RateLimiting:Tiers:0:Name"] = "leased";
        settings["SessionGate:RateLimiting:Tiers:0:MinBalance"] = "0";
        settings["SessionGate:RateLimiting:Tiers:0:PermitsPerMinute"] = "60";   // one unit a second
        settings["SessionGate:RateLimiting:Tiers:0:Burst"] = "300";
        settings["SessionGate:RateLimiting:Leases:Enabled"] = "true";
        settings["SessionGate:RateLimiting:InstanceCount"] = "3";               // block min(1000, 10 s × 1/s, 300 / (3 × 10)) = 10
        GatewayProcess[] gateways = await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => GatewayProcess.StartAsync(settings)));
        using Sr25519KeyPair key = TestIdentity.Key();
        HttpClient[] clients = [.. gateways.Select(g => TestIdentity.SignedClient(key, g.Address))];
        try
        {
            var clock = Stopwatch.StartNew();
            HttpStatusCode[] statuses = await Task.WhenAll(Enumerable.Range(0, 600).Select(async i =>
            {
                using HttpResponseMessage response = await clients[i % 3].GetAsync(new Uri($"/api/leased?i={i}", UriKind.Relative));
                return response.StatusCode;
            }));
            clock.Stop();

            int admitted = statuses.Count(s => s == HttpStatusCode.OK);
            long limit = 300 + (long)Math.Ceiling(clock.Elapsed.TotalSeconds) + 1;
            output.WriteLine($"3 gateway processes, one Redis, 600 requests of one account, burst 300, block 10: {admitted} admitted in {clock.Elapsed.TotalMilliseconds:0} ms; limit ≤ {limit}");
            Assert.All(statuses, s => Assert.True(s is HttpStatusCode.OK or HttpStatusCode.TooManyRequests, $"unexpected {s}"));
            Assert.InRange(admitted, 300 - (3 * 10), limit + (limit / 100));
            Assert.Equal(admitted, upstream.Received.Count(r => r.Path.StartsWith("/api/leased", StringComparison.Ordinal)));
        }
        finally
        {
            foreach (HttpClient client in clients)
            {
                client.Dispose();
            }

            foreach (GatewayProcess gateway in gateways)
            {
                await gateway.DisposeAsync();
            }
        }
    }
}
