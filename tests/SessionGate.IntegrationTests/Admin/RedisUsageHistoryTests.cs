using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using SessionGate.IntegrationTests.Infrastructure;
using SessionGate.Storage.Redis;
using SessionGate.Usage;
using StackExchange.Redis;

namespace SessionGate.IntegrationTests.Admin;

/// <summary>
/// The quota history on a real redis-server: two instances flush into the same per-hour hashes, reads
/// sum both, every key has its 25 h expiry, and the number of keys stays bounded however many
/// anonymous prefixes send (the simulated clock drives the minutes; Redis's own clock the TTLs).
/// </summary>
public sealed class RedisUsageHistoryTests
{
    private static readonly DateTimeOffset Start = new(2026, 11, 21, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task TwoInstances_AcrossASimulatedHourAndAHalf_ReadsSumBothWithTtlsAndBoundedKeys()
    {
        await using RedisServer redis = await RedisServer.StartAsync();
        string prefix = $"test-{Guid.NewGuid():N}:";
        await using RedisConnection first = await redis.ConnectAsync(prefix);
        await using RedisConnection second = await redis.ConnectAsync(prefix);
        var time = new FakeTimeProvider(Start);
        var limits = new UsageHistoryLimits(MaxAccountsPerMinute: 16, MaxPrefixesPerMinute: 8);
        var a = new RedisUsageHistory(first, time, NullLogger<RedisUsageHistory>.Instance, limits);
        var b = new RedisUsageHistory(second, time, NullLogger<RedisUsageHistory>.Instance, limits);
        const int Minutes = 90, AnonymousPerMinute = 300;
        for (int m = 0; m < Minutes; m++)
        {
            a.Record(new UsageHistoryEntry("kira1alice", null, "api", 2, Refused: false));
            b.Record(new UsageHistoryEntry("kira1alice", null, "api", 0, Refused: true));
            b.Record(UsageHistoryEntry.ServedInShadowMode("kira1bob", null, "rpc", 1));
            for (int i = 0; i < AnonymousPerMinute; i++)
            {
                int n = (m * AnonymousPerMinute) + i;
                a.Record(new UsageHistoryEntry(null, $"10.{n >> 8 & 255}.{n & 255}.9", "api", 1, Refused: false));
            }

            b.RecordMethodCall("eth_call", 26, refused: false);

            // Flushing mid-minute and again at its end writes each count once.
            Assert.True(await a.FlushAsync(CancellationToken.None));
            time.Advance(TimeSpan.FromSeconds(30));
            a.Record(new UsageHistoryEntry("kira1alice", null, "api", 2, Refused: false));
            Assert.True(await a.FlushAsync(CancellationToken.None));
            Assert.True(await b.FlushAsync(CancellationToken.None));
            time.Advance(TimeSpan.FromSeconds(30));
        }

        Assert.True(await a.FlushAsync(CancellationToken.None));
        Assert.True(await b.FlushAsync(CancellationToken.None));

        // Now 13:30: the last hour is 12:31–13:30, the top lists sum from 12:00 (their first clock hour).
        UsageHistoryReport hour = await b.ReadAsync(HistoryRange.OneHour, top: 5);
        Assert.Equal(Start.AddMinutes(31), hour.Overall.Start);
        Assert.Equal(Start, hour.TopFrom);
        Assert.Equal(default, hour.Overall.Minutes[^1]);
        Assert.All(hour.Overall.Minutes.Take(59), m => Assert.Equal(new HistoryCounts(4 + AnonymousPerMinute, 1, 5 + AnonymousPerMinute, 1), m));
        Assert.Equal(["kira1alice", "kira1bob"], hour.Accounts.Items.Select(e => e.Name));
        Assert.Equal(new HistoryCounts(3 * Minutes, Minutes, 4 * Minutes, 0), hour.Accounts.Items[0].Counts);
        Assert.Equal(Minutes, hour.Accounts.Items[1].Counts.WouldBeRefused);
        Assert.Equal(new HistoryCounts(Minutes, 0, 26 * Minutes, 0), Assert.Single(hour.Methods.Items).Counts);
        Assert.Equal(5, hour.AnonymousPrefixes.Items.Count);
        Assert.Equal(Minutes * AnonymousPerMinute, hour.AnonymousPrefixes.Items.Sum(p => p.Counts.Requests) + hour.AnonymousPrefixes.Other.Requests);
        Assert.True(hour.AnonymousPrefixes.Other.Requests >= Minutes * (AnonymousPerMinute - 8), "prefixes beyond 8 a minute count as other");

        UsageHistoryReport day = await a.ReadAsync(HistoryRange.Day, top: 10);
        Assert.Equal(1440, day.Overall.Minutes.Count);
        Assert.Equal((long)Minutes * (4 + AnonymousPerMinute), day.Overall.Totals.Requests);
        HistorySeries alice = await a.ReadAccountAsync("kira1alice", HistoryRange.SixHours);
        Assert.Equal(360, alice.Minutes.Count);
        Assert.Equal(new HistoryCounts(3 * Minutes, Minutes, 4 * Minutes, 0), alice.Totals);
        Assert.Equal(new HistoryCounts(3, 1, 4, 0), alice.Minutes[^2]);
        Assert.Equal(default, (await a.ReadAccountAsync("kira1nobody", HistoryRange.Day)).Totals);

        // Keys: per hour (12:00, 13:00) one overall and one top-list hash, and one per account; no key per prefix.
        IServer server = first.Multiplexer.GetServer(first.Multiplexer.GetEndPoints()[0]);
        RedisKey[] keys = [.. server.Keys(pattern: prefix + "*")];
        string[] names = [.. keys.Select(k => ((string)k!)[prefix.Length..]).Order(StringComparer.Ordinal)];
        long h12 = Start.ToUnixTimeSeconds() / 3600;
        Assert.Equal(
            [$"usage:hist:a:{h12}:kira1alice", $"usage:hist:a:{h12}:kira1bob", $"usage:hist:a:{h12 + 1}:kira1alice", $"usage:hist:a:{h12 + 1}:kira1bob",
             $"usage:hist:d:{h12}", $"usage:hist:d:{h12 + 1}", $"usage:hist:o:{h12}", $"usage:hist:o:{h12 + 1}"],
            names);
        IDatabase db = first.Database;
        foreach (RedisKey key in keys)
        {
            TimeSpan? ttl = await db.KeyTimeToLiveAsync(key);
            Assert.True(ttl is { } t && t > TimeSpan.FromHours(24.9) && t <= TimeSpan.FromHours(25), $"{key}: TTL {ttl}");
        }

        // The top-list hash of an hour holds at most 60 minutes × 8 prefixes per instance (+ other), times the 4 metrics at most.
        long fields = await db.HashLengthAsync(prefix + $"usage:hist:d:{h12}");
        Assert.InRange(fields, 1, ((60 * 8) + 1 + 2 + 2 + 1) * 4);
    }

    [Fact]
    public async Task Flush_RedisDown_KeepsCountsAndAddsThemOnceWhenBack()
    {
        await using RedisServer redis = await RedisServer.StartAsync();
        await using RedisConnection connection = await redis.ConnectAsync(operationTimeout: TimeSpan.FromMilliseconds(500));
        var time = new FakeTimeProvider(Start);
        var history = new RedisUsageHistory(connection, time, NullLogger<RedisUsageHistory>.Instance);
        history.Record(new UsageHistoryEntry("kira1alice", null, "api", 5, Refused: false));
        await redis.KillAsync();

        Assert.False(await history.FlushAsync(CancellationToken.None));
        await Assert.ThrowsAsync<RedisUnavailableException>(() => history.ReadAsync(HistoryRange.OneHour, 10));
        time.Advance(TimeSpan.FromMinutes(1));
        history.Record(new UsageHistoryEntry("kira1alice", null, "api", 0, Refused: true));
        Assert.False(await history.FlushAsync(CancellationToken.None));

        await redis.RestartAsync();
        await Eventually.HoldsAsync(
            async () =>
            {
                try
                {
                    return await history.FlushAsync(CancellationToken.None);
                }
                catch (RedisUnavailableException)
                {
                    return false;
                }
            },
            TimeSpan.FromSeconds(20),
            "the kept counts reach Redis once it is back");
        Assert.True(await history.FlushAsync(CancellationToken.None));

        HistorySeries alice = await history.ReadAccountAsync("kira1alice", HistoryRange.OneHour);
        Assert.Equal(new HistoryCounts(2, 1, 5, 0), alice.Totals);
        Assert.Equal(new HistoryCounts(1, 0, 5, 0), alice.Minutes[^2]);
    }

    [Fact]
    public async Task Worker_FlushesWithinTheInterval()
    {
        await using RedisServer redis = await RedisServer.StartAsync();
        await using RedisConnection connection = await redis.ConnectAsync();
        var history = new RedisUsageHistory(connection, TimeProvider.System, NullLogger<RedisUsageHistory>.Instance);
        using var stop = new CancellationTokenSource();
        Task worker = history.RunAsync(stop.Token);

        history.Record(new UsageHistoryEntry(null, "198.51.100.20", "api", 1, Refused: false));
        await Eventually.HoldsAsync(
            async () => (await history.ReadAsync(HistoryRange.OneHour, 10)).AnonymousPrefixes.Items is [{ Name: "198.51.100.0/24" }],
            TimeSpan.FromSeconds(20),
            "the worker flushed the request");

        await stop.CancelAsync();
        await worker;
    }
}
