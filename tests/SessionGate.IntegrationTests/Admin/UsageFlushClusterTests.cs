using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using SessionGate.IntegrationTests.RateLimiting;
using SessionGate.Storage.Redis;
using SessionGate.Usage;
using StackExchange.Redis;
using Xunit.Abstractions;

namespace SessionGate.IntegrationTests.Admin;

/// <summary>
/// The usage flushes on a real three-primary Redis Cluster: a script may only touch keys of one hash
/// slot, so the flush groups its keys by slot; each group is one call (or one per 250 fields), the
/// counts read back exactly, and every key keeps its expiry.
/// </summary>
public sealed class UsageFlushClusterTests(RedisClusterFixture fixture, ITestOutputHelper output) : IClassFixture<RedisClusterFixture>
{
    private static readonly DateTimeOffset Start = new(2026, 11, 21, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task HistoryFlush_AccountsOverManySlots_OneCallPerSlotGroupAndCountsReadBack()
    {
        string prefix = $"test-{Guid.NewGuid():N}:";
        await using RedisConnection connection = await fixture.Cluster.ConnectAsync(prefix);
        var time = new FakeTimeProvider(Start);
        var history = new RedisUsageHistory(connection, time, NullLogger<RedisUsageHistory>.Instance);
        const int Accounts = 200;
        int[] ports = [.. fixture.Cluster.Nodes.Select(n => n.Port)];
        long hour = Start.ToUnixTimeSeconds() / 3600;
        RedisKey[] keys =
        [
            prefix + "usage:hist:o:" + hour,
            prefix + "usage:hist:d:" + hour,
            .. Enumerable.Range(0, Accounts).Select(i => (RedisKey)(prefix + "usage:hist:a:" + hour + ":kira1acct" + i)),
        ];
        int slots = keys.Select(k => connection.Multiplexer.HashSlot(k)).Distinct().Count();

        // Two flushes into the same hour's keys: the second one without the script's first-use NOSCRIPT.
        long scripts = 0, fields = 0;
        for (int round = 0; round < 2; round++)
        {
            for (int i = 0; i < Accounts; i++)
            {
                history.Record(new UsageHistoryEntry("kira1acct" + i, null, "api", 3, Refused: false));
            }

            await RedisCommandStats.ResetAsync(ports);
            Assert.True(await history.FlushAsync(CancellationToken.None));
            Dictionary<string, long> calls = await RedisCommandStats.ReadAsync(ports);
            (scripts, fields) = (RedisCommandStats.Scripts(calls), calls.GetValueOrDefault("hincrby"));
            time.Advance(TimeSpan.FromMinutes(1));
        }

        output.WriteLine($"cluster: history flush of {Accounts} accounts ({keys.Length} keys in {slots} slots): {scripts} EVALSHA ran {fields} HINCRBY");
        Assert.InRange(scripts, slots, slots + RedisCommandStats.ChunksOf(fields, HashIncrementWriter.MaxFieldsPerCall));
        Assert.True(fields > 2 * scripts, $"{fields} fields in {scripts} calls");

        Assert.Equal(new HistoryCounts(2, 0, 6, 0), (await history.ReadAccountAsync("kira1acct7", HistoryRange.OneHour)).Totals);
        UsageHistoryReport report = await history.ReadAsync(HistoryRange.OneHour, top: 3);
        Assert.Equal(new HistoryCounts(2 * Accounts, 0, 6 * Accounts, 0), report.Overall.Totals);
        foreach (RedisKey key in keys)
        {
            TimeSpan? ttl = await connection.Database.KeyTimeToLiveAsync(key);
            Assert.InRange(ttl!.Value, RedisUsageHistory.Retention - TimeSpan.FromMinutes(1), RedisUsageHistory.Retention);
        }
    }

    [Fact]
    public async Task TrackerFlush_OneKeyOfManyFields_ChunkedCallsToItsNode()
    {
        string prefix = $"test-{Guid.NewGuid():N}:";
        await using RedisConnection connection = await fixture.Cluster.ConnectAsync(prefix);
        var time = new FakeTimeProvider(Start);
        var tracker = new RedisUsageTracker(connection, time, NullLogger<RedisUsageTracker>.Instance);
        const int Accounts = 1500;
        for (int i = 0; i < Accounts; i++)
        {
            tracker.Record("kira1acct" + i, rejected: false);
        }

        time.Advance(TimeSpan.FromSeconds(1));
        int[] ports = [.. fixture.Cluster.Nodes.Select(n => n.Port)];
        await RedisCommandStats.ResetAsync(ports);
        Assert.True(await tracker.FlushAsync(CancellationToken.None));
        Dictionary<string, long> calls = await RedisCommandStats.ReadAsync(ports);

        const long Fields = 1 + Accounts;   // r overall, r per account
        long chunks = RedisCommandStats.ChunksOf(Fields, HashIncrementWriter.MaxFieldsPerCall);
        Assert.Equal(Fields, calls.GetValueOrDefault("hincrby"));
        Assert.InRange(RedisCommandStats.Scripts(calls), chunks, 2 * chunks);
        UsageSnapshot usage = await tracker.ReadAsync();
        Assert.Equal(Accounts, usage.Overall.Requests);
        Assert.Equal(Accounts, usage.Accounts.Count);
    }
}
