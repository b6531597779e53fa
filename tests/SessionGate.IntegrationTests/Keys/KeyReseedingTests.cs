using System.Net;
using SessionGate.Crypto;
using SessionGate.IntegrationTests.Infrastructure;
using SessionGate.IntegrationTests.Proxy;

namespace SessionGate.IntegrationTests.Keys;

/// <summary>
/// Keys from <c>SessionGate:Keys</c> stay usable when Redis loses them: a Redis without persistence
/// restarted empty, or a Redis that was down while the gateway started. The gateway registers them
/// again once Redis answers, without a restart.
/// </summary>
[Collection(GatewayProcessCollection.Name)]
public sealed class KeyReseedingTests
{
    [Fact]
    public async Task RedisRestartedEmpty_ConfiguredKeyWorksAgain()
    {
        await using RedisServer redis = await RedisServer.StartAsync();
        await using FakeUpstream upstream = await FakeUpstream.StartAsync();
        await using GatewayProcess gateway = await GatewayProcess.StartAsync(Settings(redis, upstream));
        using Sr25519KeyPair key = TestIdentity.Key();

        Assert.Equal(HttpStatusCode.OK, await SignedStatusAsync(key, gateway));

        await redis.KillAsync();
        await redis.RestartAsync();   // no persistence in tests: the restarted Redis is empty

        // The directory notices the lost data (its change counter went back), drops its cache, finds
        // the key missing, and the seeding watch registers it again.
        await gateway.Process.WaitForLineAsync(
            line => line.Contains("registering the configured keys again", StringComparison.Ordinal),
            TimeSpan.FromSeconds(45),
            "the gateway notices the key is missing");
        await Eventually.HoldsAsync(
            async () => await SignedStatusAsync(key, gateway) == HttpStatusCode.OK,
            TimeSpan.FromSeconds(45),
            "the configured key is registered again in the empty Redis");
    }

    [Fact]
    public async Task RedisDownAtStartUp_ConfiguredKeyWorksOnceRedisIsUp()
    {
        await using RedisServer redis = await RedisServer.StartAsync();
        await redis.KillAsync();
        await using FakeUpstream upstream = await FakeUpstream.StartAsync();
        await using GatewayProcess gateway = await GatewayProcess.StartAsync(Settings(redis, upstream));
        using Sr25519KeyPair key = TestIdentity.Key();

        await redis.RestartAsync();

        await Eventually.HoldsAsync(
            async () => await SignedStatusAsync(key, gateway) == HttpStatusCode.OK,
            TimeSpan.FromSeconds(45),
            "the configured key is registered once Redis is up");
    }

    private static Dictionary<string, string?> Settings(RedisServer redis, FakeUpstream upstream)
    {
        Dictionary<string, string?> settings = ProxyGatewayFixture.SettingsWithRedis(upstream.Address, redis);

        // Failures while Redis is away must not block the test's own address.
        settings["SessionGate:ClientBlocking:Enabled"] = "false";
        return settings;
    }

    // A fresh header each time: a cached verdict would hide whether the key is registered now.
    private static async Task<HttpStatusCode> SignedStatusAsync(Sr25519KeyPair key, GatewayProcess gateway)
    {
        using HttpClient signed = TestIdentity.SignedClient(key, gateway.Address);
        using HttpResponseMessage response = await signed.GetAsync(new Uri("/api/x", UriKind.Relative));
        return response.StatusCode;
    }
}
