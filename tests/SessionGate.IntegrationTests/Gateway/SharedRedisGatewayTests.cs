using SessionGate.Crypto;
using SessionGate.IntegrationTests.Infrastructure;
using SessionGate.Keys;
using SessionGate.Protocol;
using Xunit.Abstractions;

namespace SessionGate.IntegrationTests.Gateway;

/// <summary>Two gateway instances sharing one real Redis.</summary>
public sealed class SharedRedisGatewayTests(ITestOutputHelper output)
{
    private static Dictionary<string, string?> Settings(RedisServer redis, string prefix) => new()
    {
        ["SessionGate:Redis"] = redis.Configuration,
        ["SessionGate:RedisKeyPrefix"] = prefix,
        ["SessionGate:RedisTimeout"] = "00:00:02",
        ["SessionGate:Chain:Dev:BlockInterval"] = "00:00:01",
        ["SessionGate:ClientBlocking:FailureThreshold"] = "3",
    };

    [Fact]
    public async Task Gateways_KeyDisabledOnOne_OtherRefusesCachedHeaderWithinOneSecond()
    {
        await using RedisServer redis = await RedisServer.StartAsync();
        string prefix = $"t{Guid.NewGuid():N}:";
        await using GatewayApp a = await GatewayApp.StartAsync(Settings(redis, prefix));
        await using GatewayApp b = await GatewayApp.StartAsync(Settings(redis, prefix));
        using Sr25519KeyPair key = GatewayApp.Key();

        string hash = System.Text.Json.JsonDocument.Parse(await a.Client.GetStringAsync("/_sessiongate/block")).RootElement.GetProperty("hash").GetString()!;
        string header = KiraSessionHeader.Create(key, GatewayApp.Account, hash);

        // Instance B learns the block through Redis and caches the verdict.
        Assert.Equal((200, null), await b.GetPrivateAsync(header));
        Assert.Equal((200, null), await b.GetPrivateAsync(header));

        Assert.Equal(KeyChangeResult.Changed, await a.Service<ISignerKeyDirectory>().DisableAsync(new Bytes32(key.PublicKey)));

        TimeSpan elapsed = await Eventually.HoldsAsync(
            async () => await b.GetPrivateAsync(header) == (401, "key_disabled"),
            TimeSpan.FromSeconds(5),
            "instance B refuses the disabled key");
        output.WriteLine($"disable honoured by the other instance after {elapsed.TotalMilliseconds:0} ms");
        Assert.True(elapsed < TimeSpan.FromSeconds(1), $"took {elapsed}");
        Assert.Equal((401, "key_disabled"), await a.GetPrivateAsync(header));
    }

    [Fact]
    public async Task Gateways_FailuresOnBothInstances_BlockTheAddressOnBoth()
    {
        await using RedisServer redis = await RedisServer.StartAsync();
        string prefix = $"t{Guid.NewGuid():N}:";
        await using GatewayApp a = await GatewayApp.StartAsync(Settings(redis, prefix));
        await using GatewayApp b = await GatewayApp.StartAsync(Settings(redis, prefix));

        Assert.Equal((400, "session_malformed"), await a.GetPrivateAsync("{x"));
        Assert.Equal((400, "session_malformed"), await b.GetPrivateAsync("{y"));
        Assert.Equal((400, "session_malformed"), await a.GetPrivateAsync("{z"));

        Assert.Equal((429, "ip_blocked"), await a.GetPrivateAsync(null));
        await Eventually.HoldsAsync(
            async () => await b.GetPrivateAsync(null) == (429, "ip_blocked"),
            TimeSpan.FromSeconds(5),
            "instance B learns of the block");
    }

    [Fact]
    public async Task Gateways_SharedQuota_AdmitTheBurstOnceAcrossInstances()
    {
        await using RedisServer redis = await RedisServer.StartAsync();
        string prefix = $"t{Guid.NewGuid():N}:";
        Dictionary<string, string?> settings = Settings(redis, prefix);
        settings["SessionGate:RateLimiting:Tiers:0:Name"] = "tiny";
        settings["SessionGate:RateLimiting:Tiers:0:MinBalance"] = "0";
        settings["SessionGate:RateLimiting:Tiers:0:PermitsPerMinute"] = "1";
        settings["SessionGate:RateLimiting:Tiers:0:Burst"] = "20";
        await using GatewayApp a = await GatewayApp.StartAsync(settings);
        await using GatewayApp b = await GatewayApp.StartAsync(settings);
        using Sr25519KeyPair key = GatewayApp.Key();
        string hash = System.Text.Json.JsonDocument.Parse(await a.Client.GetStringAsync("/_sessiongate/block")).RootElement.GetProperty("hash").GetString()!;
        string header = KiraSessionHeader.Create(key, GatewayApp.Account, hash);

        var calls = Enumerable.Range(0, 60).Select(i => (i % 2 == 0 ? a : b).GetAsync("/limited", header));
        (int Status, string? Code)[] results = await Task.WhenAll(calls);

        int admitted = results.Count(r => r.Status == 200);
        output.WriteLine($"admitted {admitted} of 60 across two instances with a burst of 20");
        Assert.InRange(admitted, 20, 21);
        Assert.All(results.Where(r => r.Status != 200), r => Assert.Equal((429, "rate_limited"), r));
    }
}
