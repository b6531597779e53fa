using SessionGate.IntegrationTests.Infrastructure;
using SessionGate.IntegrationTests.Keys;
using SessionGate.Verification;
using StackExchange.Redis;

namespace SessionGate.IntegrationTests.Blocking;

/// <summary>Client blocking shared by two instances through a real Redis.</summary>
public sealed class RedisClientBlockerTests(RedisServerFixture redis) : IClassFixture<RedisServerFixture>, IAsyncLifetime
{
    private static readonly ClientBlockingOptions ThreeFailures = new()
    {
        FailureThreshold = 3,
        FailureWindow = TimeSpan.FromMinutes(1),
        BlockDuration = TimeSpan.FromMinutes(5),
        MaxTrackedClients = 1000,
    };

    private readonly string _prefix = RedisServerFixture.NewPrefix();
    private readonly List<BlockerInstance> _instances = [];

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (BlockerInstance instance in _instances)
        {
            await instance.DisposeAsync();
        }
    }

    [Fact]
    public async Task RecordFailureAsync_FailuresOnTwoInstances_CountTogetherAndBothRefuseTheClient()
    {
        BlockerInstance a = await StartAsync(ThreeFailures);
        BlockerInstance b = await StartAsync(ThreeFailures);

        Assert.Null(await a.Blocker.RecordFailureAsync("10.0.0.1"));
        Assert.Null(await a.Blocker.RecordFailureAsync("10.0.0.1"));
        TimeSpan? blockedFor = await b.Blocker.RecordFailureAsync("10.0.0.1");

        Assert.Equal(ThreeFailures.BlockDuration, blockedFor);
        Assert.NotNull(await b.Blocker.GetBlockedForAsync("10.0.0.1"));
        await Eventually.HoldsAsync(async () => await a.Blocker.GetBlockedForAsync("10.0.0.1") is not null, TimeSpan.FromSeconds(5), "A learns of the block by message");
        TimeSpan? left = await a.Connection.Database.KeyTimeToLiveAsync(a.Connection.Key("block:{10.0.0.1}:blocked"));
        Assert.InRange(left!.Value, TimeSpan.FromMinutes(4), ThreeFailures.BlockDuration);
        Assert.False(await a.Connection.Database.KeyExistsAsync(a.Connection.Key("block:{10.0.0.1}:failures")));
    }

    [Fact]
    public async Task RecordFailureAsync_ThresholdFailuresInParallelOnTwoInstances_ExactlyOneBlocks()
    {
        ClientBlockingOptions twenty = ThreeFailures with { FailureThreshold = 20 };
        BlockerInstance a = await StartAsync(twenty);
        BlockerInstance b = await StartAsync(twenty, runWorker: false);

        TimeSpan?[] results = await Task.WhenAll(Enumerable.Range(0, 20).Select(i =>
            Task.Run(async () => await (i % 2 == 0 ? a : b).Blocker.RecordFailureAsync("10.0.0.1"))));

        Assert.Single(results, r => r is not null);
    }

    [Fact]
    public async Task RecordFailureAsync_InstanceMissedTheBlockMessage_LearnsOfTheBlockOnTheClientsNextFailure()
    {
        BlockerInstance a = await StartAsync(ThreeFailures);
        BlockerInstance deaf = await StartAsync(ThreeFailures, runWorker: false);
        for (int i = 0; i < 3; i++)
        {
            await a.Blocker.RecordFailureAsync("10.0.0.1");
        }

        Assert.Null(await deaf.Blocker.GetBlockedForAsync("10.0.0.1"));
        TimeSpan? blockedFor = await deaf.Blocker.RecordFailureAsync("10.0.0.1");

        Assert.NotNull(blockedFor);
        Assert.InRange(blockedFor.Value, TimeSpan.FromMinutes(4), ThreeFailures.BlockDuration);
        Assert.NotNull(await deaf.Blocker.GetBlockedForAsync("10.0.0.1"));
        Assert.False(await a.Connection.Database.KeyExistsAsync(a.Connection.Key("block:{10.0.0.1}:failures")), "a failure during a block is not counted");
    }

    [Fact]
    public async Task RecordFailureAsync_WindowPassed_CountsFromZero()
    {
        BlockerInstance a = await StartAsync(ThreeFailures with { FailureWindow = TimeSpan.FromMilliseconds(300) });
        await a.Blocker.RecordFailureAsync("10.0.0.1");
        await a.Blocker.RecordFailureAsync("10.0.0.1");
        RedisKey failures = a.Connection.Key("block:{10.0.0.1}:failures");
        Assert.InRange((await a.Connection.Database.KeyTimeToLiveAsync(failures))!.Value, TimeSpan.FromTicks(1), TimeSpan.FromMilliseconds(300));

        await Eventually.HoldsAsync(async () => !await a.Connection.Database.KeyExistsAsync(failures), TimeSpan.FromSeconds(5), "the window closes");

        Assert.Null(await a.Blocker.RecordFailureAsync("10.0.0.1"));
        Assert.Null(await a.Blocker.RecordFailureAsync("10.0.0.1"));
        Assert.NotNull(await a.Blocker.RecordFailureAsync("10.0.0.1"));
    }

    [Fact]
    public async Task GetBlockedForAsync_BlockDurationPassed_ClientIsNoLongerBlockedAnywhere()
    {
        ClientBlockingOptions shortBlock = ThreeFailures with { FailureThreshold = 1, BlockDuration = TimeSpan.FromMilliseconds(400) };
        BlockerInstance a = await StartAsync(shortBlock);
        BlockerInstance b = await StartAsync(shortBlock);

        Assert.NotNull(await a.Blocker.RecordFailureAsync("10.0.0.1"));
        await Eventually.HoldsAsync(async () => await b.Blocker.GetBlockedForAsync("10.0.0.1") is not null, TimeSpan.FromSeconds(5), "B learns of the block");

        await Eventually.HoldsAsync(
            async () => await a.Blocker.GetBlockedForAsync("10.0.0.1") is null && await b.Blocker.GetBlockedForAsync("10.0.0.1") is null,
            TimeSpan.FromSeconds(5),
            "the block ends on both instances");
        await Eventually.HoldsAsync(async () => (await a.Blocker.ListBlockedAsync()).Count == 0, TimeSpan.FromSeconds(5), "the block key expires in Redis");
    }

    [Fact]
    public async Task ListBlockedAsync_SeveralClients_ListsBlockedOnesFromAnyInstance()
    {
        ClientBlockingOptions once = ThreeFailures with { FailureThreshold = 1 };
        BlockerInstance a = await StartAsync(once);
        BlockerInstance b = await StartAsync(once with { FailureThreshold = 2 }, runWorker: false);
        BlockerInstance elsewhere = await StartAsync(once, prefix: RedisServerFixture.NewPrefix(), runWorker: false);
        string[] clients = ["2001:db8::1", "10.0.0.1", "we{ird}%25|client*"];
        foreach (string client in clients)
        {
            await a.Blocker.RecordFailureAsync(client);
        }

        await b.Blocker.RecordFailureAsync("10.0.0.9");
        await elsewhere.Blocker.RecordFailureAsync("10.0.0.2");

        IReadOnlyList<BlockedClient> blocked = await b.Blocker.ListBlockedAsync();

        Assert.Equal(clients.Order(StringComparer.Ordinal), blocked.Select(c => c.Client));
        Assert.All(blocked, c => Assert.InRange(c.Remaining, TimeSpan.FromMinutes(4), once.BlockDuration));
    }

    [Fact]
    public async Task UnblockAsync_OnInstanceA_LiftsTheBlockEverywhereAndForgetsFailures()
    {
        BlockerInstance a = await StartAsync(ThreeFailures);
        BlockerInstance b = await StartAsync(ThreeFailures);
        for (int i = 0; i < 3; i++)
        {
            await b.Blocker.RecordFailureAsync("10.0.0.1");
        }

        await b.Blocker.RecordFailureAsync("10.0.0.2");
        await Eventually.HoldsAsync(async () => await a.Blocker.GetBlockedForAsync("10.0.0.1") is not null, TimeSpan.FromSeconds(5), "A learns of the block");

        Assert.True(await a.Blocker.UnblockAsync("10.0.0.1"));
        Assert.False(await a.Blocker.UnblockAsync("10.0.0.2"));

        Assert.Null(await a.Blocker.GetBlockedForAsync("10.0.0.1"));
        await Eventually.HoldsAsync(async () => await b.Blocker.GetBlockedForAsync("10.0.0.1") is null, TimeSpan.FromSeconds(5), "B drops its local block");
        Assert.Empty(await a.Blocker.ListBlockedAsync());
        Assert.False(await a.Connection.Database.KeyExistsAsync(a.Connection.Key("block:{10.0.0.2}:failures")));
        Assert.False(await a.Blocker.UnblockAsync("10.0.0.1"));
        Assert.Null(await b.Blocker.RecordFailureAsync("10.0.0.1"));
        Assert.Null(await b.Blocker.RecordFailureAsync("10.0.0.1"));
    }

    [Fact]
    public async Task RecordFailureAsync_ManyDistinctClientsBlocked_LocalMemoryStaysWithinMaxTrackedClients()
    {
        ClientBlockingOptions small = ThreeFailures with { FailureThreshold = 1, MaxTrackedClients = 100 };
        BlockerInstance a = await StartAsync(small);
        BlockerInstance b = await StartAsync(small);

        for (int batch = 0; batch < 20; batch++)
        {
            await Task.WhenAll(Enumerable.Range(batch * 100, 100).Select(i => a.Blocker.RecordFailureAsync("client-" + i).AsTask()));
            Assert.True(a.Blocker.TrackedClients <= 100, $"A tracks {a.Blocker.TrackedClients}");
            Assert.True(b.Blocker.TrackedClients <= 100, $"B tracks {b.Blocker.TrackedClients}");
        }

        // B receives 2,000 block messages; its cache stays bounded while it learns of the latest blocks.
        await Eventually.HoldsAsync(async () => await b.Blocker.GetBlockedForAsync("client-1999") is not null, TimeSpan.FromSeconds(5), "B learns of the last block");
        Assert.True(b.Blocker.TrackedClients <= 100, $"B tracks {b.Blocker.TrackedClients}");
    }

    [Fact]
    public async Task RecordFailureAsync_RedisRefusesTheScript_CountsLocallyInstead()
    {
        BlockerInstance a = await StartAsync(ThreeFailures, runWorker: false);

        // A server error reply (WRONGTYPE here, LOADING after a restart in real life).
        await a.Connection.Database.HashSetAsync(a.Connection.Key("block:{10.0.0.1}:failures"), "not", "a counter");

        Assert.Null(await a.Blocker.RecordFailureAsync("10.0.0.1"));
        Assert.Null(await a.Blocker.RecordFailureAsync("10.0.0.1"));
        Assert.Equal(ThreeFailures.BlockDuration, await a.Blocker.RecordFailureAsync("10.0.0.1"));
        Assert.NotNull(await a.Blocker.GetBlockedForAsync("10.0.0.1"));
    }

    [Fact]
    public async Task AllMethods_Disabled_AreNoOpsAndWriteNothing()
    {
        BlockerInstance a = await StartAsync(ThreeFailures with { Enabled = false, FailureThreshold = 0 }, runWorker: false);

        for (int i = 0; i < 5; i++)
        {
            Assert.Null(await a.Blocker.RecordFailureAsync("10.0.0.1"));
        }

        Assert.Null(await a.Blocker.GetBlockedForAsync("10.0.0.1"));
        Assert.Empty(await a.Blocker.ListBlockedAsync());
        Assert.False(await a.Blocker.UnblockAsync("10.0.0.1"));
        RedisResult[] scan = (RedisResult[]?)await a.Connection.Database.ExecuteAsync("SCAN", "0", "MATCH", _prefix + "*", "COUNT", "10000") ?? [];
        Assert.Equal(2, scan.Length);
        Assert.Empty((RedisKey[]?)scan[1] ?? []);
    }

    private async Task<BlockerInstance> StartAsync(ClientBlockingOptions options, bool runWorker = true, string? prefix = null)
    {
        BlockerInstance instance = await BlockerInstance.StartAsync(redis.Server, prefix ?? _prefix, options, runWorker);
        _instances.Add(instance);
        return instance;
    }
}
