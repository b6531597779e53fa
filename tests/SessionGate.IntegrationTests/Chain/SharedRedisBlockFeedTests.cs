using Microsoft.Extensions.Logging.Abstractions;
using SessionGate.Chain;
using SessionGate.IntegrationTests.Infrastructure;
using SessionGate.Protocol;
using SessionGate.Storage.Redis;
using SessionGate.Testing.Nodes;
using StackExchange.Redis;

namespace SessionGate.IntegrationTests.Chain;

public sealed class SharedRedisBlockFeedTests : IAsyncLifetime
{
    private readonly string _prefix = $"test-{Guid.NewGuid():N}:";
    private RedisServer _redis = null!;
    private RedisConnection _first = null!;
    private RedisConnection _second = null!;

    public async Task InitializeAsync()
    {
        _redis = await RedisServer.StartAsync();
        _first = await _redis.ConnectAsync(_prefix);
        _second = await _redis.ConnectAsync(_prefix);
    }

    public async Task DisposeAsync()
    {
        await _first.DisposeAsync();
        await _second.DisposeAsync();
        await _redis.DisposeAsync();
    }

    [Fact]
    public async Task FindAsync_BlockOneFeedLearnedByHash_FoundByOtherWithoutNodeRequest()
    {
        await using FakeTendermintNode node = await FakeTendermintNode.StartAsync(blocks: 5);
        ChainOptions options = FeedHandle.Defaults(node.BaseUri);
        using var a = new FeedHandle(node.BaseUri, Store(_first, options), options);
        using var b = new FeedHandle(node.BaseUri, Store(_second, options), options);
        BlockInfo block = node[3];

        BlockLookup learned = await a.Feed.FindAsync(block.Hash);
        BlockLookup shared = await b.Feed.FindAsync(block.Hash);

        Assert.Equal(BlockLookup.Found(block), learned);
        Assert.Equal(BlockLookup.Found(block), shared);
        Assert.Equal(1, node.Count("/block_by_hash"));
        Assert.True(b.Feed.FindAsync(block.Hash).IsCompletedSuccessfully, "the second feed now answers from its local copy");
    }

    [Fact]
    public async Task AddAsync_Block_WritesDocumentedKeysWithRetentionExpiry()
    {
        var options = new ChainOptions { Mode = ChainMode.Tendermint, RpcUrl = "http://unused", Retention = TimeSpan.FromMinutes(6) };
        RedisBlockStore store = Store(_first, options);
        var block = new BlockInfo(42, new Bytes32(Enumerable.Repeat((byte)0xC3, 32).ToArray()), TimeProvider.System.GetUtcNow());

        await store.AddAsync(block, CancellationToken.None);

        IDatabase db = _first.Database;
        RedisKey blockKey = _prefix + "chain:tendermint:block:" + block.Hash.ToUpperHex();
        Assert.Equal(BlockRecordFormat.Format(block), (string?)await db.StringGetAsync(blockKey));
        Assert.Equal(BlockRecordFormat.Format(block), (string?)await db.StringGetAsync(_prefix + "chain:tendermint:latest"));
        TimeSpan? ttl = await db.KeyTimeToLiveAsync(blockKey);
        Assert.InRange(ttl!.Value, TimeSpan.FromMinutes(5), TimeSpan.FromMinutes(6));
    }

    [Fact]
    public async Task PollOnceAsync_NodeUnreachableFromOneInstance_AdoptsNewestBlockFromRedis()
    {
        await using FakeTendermintNode node = await FakeTendermintNode.StartAsync(blocks: 5);
        var deadNode = new Uri($"http://127.0.0.1:{RedisServer.FreeTcpPort()}/");
        ChainOptions options = FeedHandle.Defaults(node.BaseUri);
        using var healthy = new FeedHandle(node.BaseUri, Store(_first, options), options);
        using var cutOff = new FeedHandle(deadNode, Store(_second, options), options);

        Assert.True(await healthy.Feed.PollOnceAsync(CancellationToken.None));
        Assert.False(await cutOff.Feed.PollOnceAsync(CancellationToken.None));

        Assert.Equal(node.Head, cutOff.Feed.Latest);
        Assert.Equal(BlockLookup.Found(node.Head), await cutOff.Feed.FindAsync(node.Head.Hash));
    }

    [Fact]
    public async Task FindAsync_RedisDown_StillAsksTheNode()
    {
        await using FakeTendermintNode node = await FakeTendermintNode.StartAsync(blocks: 3);
        ChainOptions options = FeedHandle.Defaults(node.BaseUri);
        using var handle = new FeedHandle(node.BaseUri, Store(_first, options), options);
        await _redis.KillAsync();

        BlockLookup lookup = await handle.Feed.FindAsync(node[2].Hash);

        Assert.Equal(BlockLookup.Found(node[2]), lookup);
        Assert.Equal(1, node.Count("/block_by_hash"));
    }

    [Fact]
    public async Task DevChain_TwoInstancesSharingRedis_EachFindsTheOthersBlocks()
    {
        var options = new ChainOptions();
        var a = new DevChain(options, Store(_first, options), TimeProvider.System, NullLogger<DevChain>.Instance);
        var b = new DevChain(options, Store(_second, options), TimeProvider.System, NullLogger<DevChain>.Instance);

        BlockInfo fromA = await a.ProduceBlockAsync();
        BlockInfo fromB = await b.ProduceBlockAsync();

        Assert.Equal(BlockLookup.Found(fromA), await b.FindAsync(fromA.Hash));
        Assert.Equal(BlockLookup.Found(fromB), await a.FindAsync(fromB.Hash));
        Assert.Equal(BlockLookup.Unknown, await a.FindAsync(new Bytes32(new byte[32])));

        await _redis.KillAsync();
        Assert.Equal(BlockLookup.Unavailable, await a.FindAsync(new Bytes32(new byte[32])));
        Assert.Equal(BlockLookup.Found(fromA), await a.FindAsync(fromA.Hash));
    }

    private static RedisBlockStore Store(RedisConnection connection, ChainOptions options) =>
        new(connection, options, TimeProvider.System, NullLogger<RedisBlockStore>.Instance);
}
