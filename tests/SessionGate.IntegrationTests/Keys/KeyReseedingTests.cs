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

        // Failures while Redis is away must not block the test's own address, and the test's polling
        // (a fresh header every ~15 ms) must not spend the address's 120 first-seen verifications a
        // minute before the key is seeded: then every header is refused 429 until the minute ends,
        // longer than the test waits (seen when Redis came back more than ~2 s after the first poll).
        settings["SessionGate:ClientBlocking:Enabled"] = "false";
        settings["SessionGate:ClientBlocking:VerificationsPerMinute"] = "0";
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
