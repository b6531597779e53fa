using System.Globalization;
using System.Net;
using SessionGate.IntegrationTests.Faults;
using SessionGate.IntegrationTests.Infrastructure;
using SessionGate.IntegrationTests.Proxy;
using Xunit.Abstractions;

namespace SessionGate.IntegrationTests.RateLimiting;

/// <summary>
/// Issue 17 finding 4 against the real gateway on a real Redis: with an anonymous daily quota, a flood
/// of distinct client addresses no longer leaves one <c>:day</c> key per address until midnight. Day
/// budgets live in a bounded set of buckets keyed by network prefix (/24 for IPv4 by default).
/// </summary>
[Collection(FaultsCollection.Name)]
public sealed class AnonymousDailyKeysTests(ITestOutputHelper output)
{
    private static int Addresses => int.TryParse(Environment.GetEnvironmentVariable("SESSIONGATE_ANON_ADDRESSES"), CultureInfo.InvariantCulture, out int n) ? n : 100_000;

    [Fact]
    public async Task Flood_100000AnonymousAddressesWithDailyQuota_RedisKeyCountStaysBounded()
    {
        await using RedisServer redis = await RedisServer.StartAsync();
        await using FakeUpstream upstream = await FakeUpstream.StartAsync();
        Dictionary<string, string?> settings = FaultRig.Gateway(upstream.Address);
        FaultRig.UseRedis(settings, redis, TimeSpan.FromSeconds(2));
        settings["SessionGate:RateLimiting:Anonymous:DailyQuota"] = "1000000";
        await using GatewayProcess gateway = await GatewayProcess.StartAsync(settings);
        long before = await DbSizeAsync(redis);

        var tally = new int[600];
        await Parallel.ForEachAsync(Enumerable.Range(0, Addresses), new ParallelOptions { MaxDegreeOfParallelism = 24 }, async (n, _) =>
        {
            using HttpClient http = SourceAddressClient.Create(SourceAddressClient.Address(n), gateway.Address);
            Answer answer = await Answer.GetAsync(http, "/open/anonymous");
            Interlocked.Increment(ref tally[answer.Status]);
        });

        // Each address's own rate key expires as soon as its bucket is full again (here within a
        // millisecond); what stays until midnight are the day buckets, one per /24 at most.
        int prefixes = Enumerable.Range(0, Addresses).Select(n => SourceAddressClient.Address(n).GetAddressBytes()).Select(b => (b[1] << 8) | b[2]).Distinct().Count();
        // Keys of the limiter: what addresses create. (Other keys grow with time, not addresses: the dev
        // chain's block records, one usage bucket per second.)
        long limiterKeys = await CountAsync(redis, "*ratelimit:*");
        for (var deadline = DateTime.UtcNow.AddSeconds(30); limiterKeys > prefixes && DateTime.UtcNow < deadline; limiterKeys = await CountAsync(redis, "*ratelimit:*"))
        {
            await Task.Delay(200);
        }

        long after = await DbSizeAsync(redis);
        long dayKeys = await CountAsync(redis, "*:day");
        output.WriteLine($"{Addresses:N0} addresses ({prefixes:N0} /24 prefixes): answers {string.Join(", ", tally.Select((c, s) => (c, s)).Where(t => t.c > 0).Select(t => $"{t.s}: {t.c}"))}; DBSIZE {before} before, {after} after; limiter keys {limiterKeys}, of them day keys {dayKeys}");

        Assert.Equal(Addresses, tally[200]);
        Assert.InRange(dayKeys, 1, prefixes);
        Assert.True(limiterKeys <= prefixes, $"{limiterKeys} limiter keys after the flood ({prefixes} prefixes)");
        Assert.True(after - before <= prefixes + 1000, $"DBSIZE grew from {before} to {after} for {Addresses:N0} addresses");
        await FaultRig.AssertAliveAsync(gateway);
    }

    [Fact]
    public async Task DailyQuota_AddressesOfOnePrefix_ShareOneBudgetOtherPrefixesDoNot()
    {
        await using RedisServer redis = await RedisServer.StartAsync();
        await using FakeUpstream upstream = await FakeUpstream.StartAsync();
        Dictionary<string, string?> settings = FaultRig.Gateway(upstream.Address);
        FaultRig.UseRedis(settings, redis, TimeSpan.FromSeconds(2));
        settings["SessionGate:RateLimiting:Anonymous:DailyQuota"] = "3";
        await using GatewayProcess gateway = await GatewayProcess.StartAsync(settings);

        var statuses = new List<int>();
        foreach (string address in (string[])["127.50.1.1", "127.50.1.2", "127.50.1.3", "127.50.1.4", "127.50.2.1"])
        {
            using HttpClient http = SourceAddressClient.Create(IPAddress.Parse(address), gateway.Address);
            statuses.Add((await Answer.GetAsync(http, "/open/anonymous")).Status);
        }

        // Three from 127.50.1.0/24 use its budget up, the fourth of that prefix is refused, another /24 is not.
        Assert.Equal([200, 200, 200, 429, 200], statuses);
    }

    private static async Task<long> DbSizeAsync(RedisServer redis)
    {
        (int code, string text) = await RedisCluster.RedisCliAsync(["-p", redis.Port.ToString(CultureInfo.InvariantCulture), "DBSIZE"]);
        Assert.True(code == 0, text);
        return long.Parse(text.Trim(), CultureInfo.InvariantCulture);
    }

    private static async Task<long> CountAsync(RedisServer redis, string pattern)
    {
        (int code, string text) = await RedisCluster.RedisCliAsync(["-p", redis.Port.ToString(CultureInfo.InvariantCulture), "--scan", "--pattern", pattern]);
        Assert.True(code == 0, text);
        return text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length;
    }
}
