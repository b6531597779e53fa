using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using SessionGate.IntegrationTests.Infrastructure;
using SessionGate.Storage.Redis;
using SessionGate.Usage;
using Xunit.Abstractions;

namespace SessionGate.IntegrationTests.Admin;

/// <summary>
/// What a usage flush of many accounts costs a real redis-server in commands: script calls bounded by the
/// number of 250-field chunks, not one command per field, while the same HINCRBYs and expiries run
/// inside Redis (so the stored hashes are as before) and the counts read back exactly.
/// </summary>
public sealed class UsageFlushCommandTests(ITestOutputHelper output)
{
    private static readonly DateTimeOffset Start = new(2026, 11, 21, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task TrackerFlush_TwoThousandAccounts_AFewScriptCallsRunEveryHincrby()
    {
        await using RedisServer redis = await RedisServer.StartAsync();
        string prefix = $"test-{Guid.NewGuid():N}:";
        await using RedisConnection connection = await redis.ConnectAsync(prefix);
        var time = new FakeTimeProvider(Start);
        var tracker = new RedisUsageTracker(connection, time, NullLogger<RedisUsageTracker>.Instance);
        const int Accounts = 2000;

        // 1st second: first use of the script (NOSCRIPT, then its text once per call); 2nd: EVALSHA alone.
        long[] scripts = new long[2], hincrby = new long[2], expire = new long[2], sent = new long[2];
        for (int round = 0; round < 2; round++)
        {
            for (int i = 0; i < Accounts; i++)
            {
                tracker.Record("kira1acct" + i, rejected: i % 3 == 0);
            }

            time.Advance(TimeSpan.FromSeconds(1));
            await RedisCommandStats.ResetAsync([redis.Port]);
            long before = connection.Multiplexer.OperationCount;
            Assert.True(await tracker.FlushAsync(CancellationToken.None));
            sent[round] = connection.Multiplexer.OperationCount - before;
            Dictionary<string, long> calls = await RedisCommandStats.ReadAsync([redis.Port]);
            (scripts[round], hincrby[round], expire[round]) = (RedisCommandStats.Scripts(calls), calls.GetValueOrDefault("hincrby"), calls.GetValueOrDefault("expire"));
        }

        output.WriteLine($"tracker flush of {Accounts} accounts: script calls {scripts[0]} then {scripts[1]}, HINCRBY inside {hincrby[1]}, sent by the client {sent[1]}");

        // r, x overall; r per account; x for every third: 2 + 2,000 + 667 fields in one second's hash.
        const long Fields = 2 + Accounts + ((Accounts + 2) / 3);
        long chunks = RedisCommandStats.ChunksOf(Fields, HashIncrementWriter.MaxFieldsPerCall);
        Assert.Equal([Fields, Fields], hincrby);
        Assert.Equal([chunks, chunks], expire);                  // the key's expiry, set by each call
        Assert.InRange(scripts[0], chunks, 2 * chunks);         // EVALSHA refused NOSCRIPT, then EVAL
        Assert.Equal(chunks, scripts[1]);
        Assert.InRange(sent[1], chunks, chunks + 3);            // the client's own count (+ a heartbeat or two)

        UsageSnapshot usage = await tracker.ReadAsync();
        Assert.Equal(2 * Accounts, usage.Overall.Requests);
        Assert.Equal(2 * ((Accounts + 2) / 3), usage.Overall.Rejected);
        Assert.Equal(Accounts, usage.Accounts.Count);
        Assert.Equal((2, 2), (usage.Accounts["kira1acct0"].Requests, usage.Accounts["kira1acct0"].Rejected));
        Assert.Equal((2, 0), (usage.Accounts["kira1acct1"].Requests, usage.Accounts["kira1acct1"].Rejected));
        TimeSpan? ttl = await connection.Database.KeyTimeToLiveAsync(prefix + "usage:" + Start.AddSeconds(1).ToUnixTimeSeconds());
        Assert.InRange(ttl!.Value, RedisUsageTracker.Retention - TimeSpan.FromSeconds(30), RedisUsageTracker.Retention);
    }

    [Fact]
    public async Task HistoryFlush_ThreeHundredAccounts_ScriptCallsBoundedByChunksNotKeysOrFields()
    {
        await using RedisServer redis = await RedisServer.StartAsync();
        string prefix = $"test-{Guid.NewGuid():N}:";
        await using RedisConnection connection = await redis.ConnectAsync(prefix);
        var time = new FakeTimeProvider(Start);
        var history = new RedisUsageHistory(connection, time, NullLogger<RedisUsageHistory>.Instance, new UsageHistoryLimits(MaxAccountsPerMinute: 512));
        const int Accounts = 300;
        for (int i = 0; i < Accounts; i++)
        {
            history.Record(new UsageHistoryEntry("kira1acct" + i, null, "api", 2, Refused: i % 2 == 0));
        }

        await RedisCommandStats.ResetAsync([redis.Port]);
        Assert.True(await history.FlushAsync(CancellationToken.None));
        Dictionary<string, long> calls = await RedisCommandStats.ReadAsync([redis.Port]);

        // 302 keys (the hour's overall and top-list hashes, one per account), each set to expire once.
        long fields = calls.GetValueOrDefault("hincrby");
        long chunks = RedisCommandStats.ChunksOf(fields, HashIncrementWriter.MaxFieldsPerCall);
        output.WriteLine($"history flush of {Accounts} accounts: {RedisCommandStats.Scripts(calls)} script calls ran {fields} HINCRBY and {calls.GetValueOrDefault("expire")} EXPIRE");
        Assert.True(fields > 4 * HashIncrementWriter.MaxFieldsPerCall, $"{fields} fields");
        Assert.InRange(calls.GetValueOrDefault("expire"), Accounts + 2, Accounts + 2 + chunks);
        Assert.InRange(RedisCommandStats.Scripts(calls), chunks, 2 * chunks);

        HistorySeries refused = await history.ReadAccountAsync("kira1acct0", HistoryRange.OneHour);
        HistorySeries served = await history.ReadAccountAsync("kira1acct1", HistoryRange.OneHour);
        Assert.Equal(new HistoryCounts(1, 1, 2, 0), refused.Totals);
        Assert.Equal(new HistoryCounts(1, 0, 2, 0), served.Totals);
        UsageHistoryReport report = await history.ReadAsync(HistoryRange.OneHour, top: 5);
        Assert.Equal(new HistoryCounts(Accounts, Accounts / 2, 2 * Accounts, 0), report.Overall.Totals);
    }
}
