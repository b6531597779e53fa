using Microsoft.Extensions.Logging.Abstractions;
using SessionGate.IntegrationTests.Infrastructure;
using SessionGate.Storage.Redis;
using SessionGate.Usage;

namespace SessionGate.IntegrationTests.Admin;

/// <summary>Usage counted by two instances on one real Redis: each flushes its completed seconds, reads sum both.</summary>
public sealed class RedisUsageTrackerTests
{
    [Fact]
    public async Task TwoInstances_FlushedSeconds_ReadsSumBoth()
    {
        await using RedisServer redis = await RedisServer.StartAsync();
        string prefix = $"test-{Guid.NewGuid():N}:";
        await using RedisConnection first = await redis.ConnectAsync(prefix);
        await using RedisConnection second = await redis.ConnectAsync(prefix);
        var a = new RedisUsageTracker(first, TimeProvider.System, NullLogger<RedisUsageTracker>.Instance);
        var b = new RedisUsageTracker(second, TimeProvider.System, NullLogger<RedisUsageTracker>.Instance);

        for (int i = 0; i < 5; i++)
        {
            a.Record("kira1alice", rejected: i == 0);
            b.Record("kira1alice", rejected: false);
            b.Record(null, rejected: true);
        }

        b.Record("kira1bob", rejected: false);
        a.Record("kira1bob", rejected: false, shadowRejected: true);   // shadow mode: served, would have been refused
        b.Record(null, rejected: false, shadowRejected: true);

        // Counts reach Redis once their second has ended: flush until both instances' counts are there.
        UsageSnapshot? usage = null;
        await Eventually.HoldsAsync(
            async () =>
            {
                Assert.True(await a.FlushAsync(CancellationToken.None));
                Assert.True(await b.FlushAsync(CancellationToken.None));
                usage = await a.ReadAsync();
                return usage.Overall.Requests == 18;
            },
            TimeSpan.FromSeconds(10),
            "both instances' counts are in Redis");

        UsageSnapshot fromOther = await b.ReadAsync();
        Assert.Equal(6, usage!.Overall.Rejected);
        Assert.Equal(10, usage.Accounts["kira1alice"].Requests);
        Assert.Equal(1, usage.Accounts["kira1alice"].Rejected);
        Assert.Equal(2, usage.Accounts["kira1bob"].Requests);
        Assert.Equal(1, usage.Accounts["kira1bob"].ShadowRejected);
        Assert.Equal(0, usage.Accounts["kira1alice"].ShadowRejected);
        Assert.Equal(2, usage.Overall.ShadowRejected);
        Assert.Equal(18, usage.Overall.RequestsPerSecond.Sum());
        Assert.Equal(18, fromOther.Overall.Requests);
        Assert.Equal(1, (await b.ReadAccountAsync("kira1bob")).ShadowRejected);
        Assert.Equal(2, fromOther.Accounts.Count);
        UsageSeries alice = await b.ReadAccountAsync("kira1alice");
        Assert.Equal((10, 1), (alice.Requests, alice.Rejected));
        Assert.Equal(usage.Accounts["kira1alice"].RequestsPerSecond, alice.RequestsPerSecond);
        Assert.Same(UsageSeries.Empty, await b.ReadAccountAsync("kira1nobody"));

        // A second flush adds nothing twice.
        Assert.True(await a.FlushAsync(CancellationToken.None));
        Assert.Equal(18, (await b.ReadAsync()).Overall.Requests);
    }

    [Fact]
    public async Task Flush_RedisDown_KeepsCountsAndAddsThemWhenBack()
    {
        await using RedisServer redis = await RedisServer.StartAsync();
        await using RedisConnection connection = await redis.ConnectAsync(operationTimeout: TimeSpan.FromMilliseconds(500));
        var tracker = new RedisUsageTracker(connection, TimeProvider.System, NullLogger<RedisUsageTracker>.Instance);
        long recorded = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        tracker.Record("kira1alice", rejected: false);
        await redis.KillAsync();

        // Once the recorded second has ended, a flush takes it.
        await Eventually.HoldsAsync(() => Task.FromResult(DateTimeOffset.UtcNow.ToUnixTimeSeconds() > recorded), TimeSpan.FromSeconds(5), "the second ended");
        Assert.False(await tracker.FlushAsync(CancellationToken.None));
        await Assert.ThrowsAsync<RedisUnavailableException>(() => tracker.ReadAsync());

        await redis.RestartAsync();
        await Eventually.HoldsAsync(
            async () =>
            {
                try
                {
                    return await tracker.FlushAsync(CancellationToken.None) && (await tracker.ReadAsync()).Overall.Requests == 1;
                }
                catch (RedisUnavailableException)
                {
                    return false;
                }
            },
            TimeSpan.FromSeconds(20),
            "the kept counts reach Redis once it is back");
    }

    [Fact]
    public async Task Worker_FlushesEverySecond()
    {
        await using RedisServer redis = await RedisServer.StartAsync();
        await using RedisConnection connection = await redis.ConnectAsync();
        var tracker = new RedisUsageTracker(connection, TimeProvider.System, NullLogger<RedisUsageTracker>.Instance);
        using var stop = new CancellationTokenSource();
        Task worker = tracker.RunAsync(stop.Token);

        tracker.Record("kira1alice", rejected: false);
        await Eventually.HoldsAsync(async () => (await tracker.ReadAsync()).Overall.Requests == 1, TimeSpan.FromSeconds(10), "the worker flushed the second");

        await stop.CancelAsync();
        await worker;
    }
}
