using System.Net;
using System.Net.Sockets;
using SessionGate.Chain;
using SessionGate.IntegrationTests.Infrastructure;
using SessionGate.Protocol;
using SessionGate.Testing.Nodes;

namespace SessionGate.IntegrationTests.Chain;

public sealed class TendermintBlockFeedTests
{
    private static readonly TimeSpan Generous = TimeSpan.FromSeconds(10);
    private static readonly Bytes32 UnknownHash = new(Enumerable.Repeat((byte)0x5A, 32).ToArray());

    [Fact]
    public async Task RunAsync_NodeAdvances_FeedFollowsAndFillsSkippedHeights()
    {
        await using FakeTendermintNode node = await FakeTendermintNode.StartAsync(blocks: 3);
        using var handle = new FeedHandle(node.BaseUri);
        using var stop = new CancellationTokenSource();
        Task run = handle.Feed.RunAsync(stop.Token);

        await Eventually.HoldsAsync(() => Task.FromResult(handle.Feed.Latest?.Height == 3), Generous, "the feed learns the head");
        BlockInfo[] produced = node.Produce(4);
        await Eventually.HoldsAsync(
            () => Task.FromResult(produced.All(b => handle.Store.TryGetLocal(b.Hash, out _))), Generous, "the feed learns the new head and the skipped heights");
        await stop.CancelAsync();
        await run;

        foreach (BlockInfo block in produced)
        {
            ValueTask<BlockLookup> lookup = handle.Feed.FindAsync(block.Hash);
            Assert.True(lookup.IsCompletedSuccessfully, $"block {block.Height} is known locally");
            Assert.Equal(block, (await lookup).Block);
        }

        Assert.Equal(7, handle.Feed.Latest!.Height);
        Assert.Equal(0, node.Count("/block_by_hash"));
        Assert.True(handle.Feed.GetHealth().IsHealthy);
    }

    [Fact]
    public async Task FindAsync_200ConcurrentCallsForSameUnknownHash_OneNodeRequestThenNoneWithinTtl()
    {
        await using FakeTendermintNode node = await FakeTendermintNode.StartAsync(blocks: 1);
        using var handle = new FeedHandle(node.BaseUri);
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        node.BlockByHashGate = gate.Task;

        Task<BlockLookup>[] lookups = await Task.WhenAll(Enumerable.Range(0, 200)
            .Select(_ => Task.Factory.StartNew(() => handle.Feed.FindAsync(UnknownHash).AsTask(), CancellationToken.None, TaskCreationOptions.None, TaskScheduler.Default)));
        await Eventually.HoldsAsync(() => Task.FromResult(node.Count("/block_by_hash") == 1), Generous, "the shared lookup reaches the node");
        gate.SetResult();
        BlockLookup[] first = await Task.WhenAll(lookups).WaitAsync(Generous);
        BlockLookup[] again = await Task.WhenAll(Enumerable.Range(0, 200).Select(_ => handle.Feed.FindAsync(UnknownHash).AsTask()));

        Assert.All(first, r => Assert.Equal(BlockLookup.Unknown, r));
        Assert.All(again, r => Assert.Equal(BlockLookup.Unknown, r));
        Assert.Equal(1, node.Count("/block_by_hash"));
    }

    [Fact]
    public async Task FindAsync_NodeStopped_KnownBlocksFoundAndUnknownUnavailableWithoutHanging()
    {
        await using FakeTendermintNode node = await FakeTendermintNode.StartAsync(blocks: 5);
        using var handle = new FeedHandle(node.BaseUri);
        Assert.True(await handle.Feed.PollOnceAsync(CancellationToken.None));
        BlockInfo known = node.Head;

        await node.StopAsync();
        using var deadline = new CancellationTokenSource(Generous);
        bool polled = await handle.Feed.PollOnceAsync(deadline.Token);
        BlockLookup knownLookup = await handle.Feed.FindAsync(known.Hash, deadline.Token);
        BlockLookup unknownLookup = await handle.Feed.FindAsync(UnknownHash, deadline.Token);

        Assert.False(polled);
        Assert.Equal(BlockLookup.Found(known), knownLookup);
        Assert.Equal(BlockLookup.Unavailable, unknownLookup);
        Assert.Equal(1, handle.Feed.GetHealth().ConsecutiveFailures);
    }

    [Fact]
    public async Task FindAsync_NodeAcceptsButNeverAnswers_UnavailableAfterRequestTimeout()
    {
        using var silent = new TcpListener(IPAddress.Loopback, 0);
        silent.Start();
        var node = new Uri($"http://127.0.0.1:{((IPEndPoint)silent.LocalEndpoint).Port}/");
        ChainOptions options = FeedHandle.Defaults(node) with { Tendermint = new TendermintOptions { RequestTimeout = TimeSpan.FromMilliseconds(300) } };
        using var handle = new FeedHandle(node, options: options);
        using var deadline = new CancellationTokenSource(Generous);

        BlockLookup lookup = await handle.Feed.FindAsync(UnknownHash, deadline.Token);
        bool polled = await handle.Feed.PollOnceAsync(deadline.Token);

        Assert.Equal(BlockLookup.Unavailable, lookup);
        Assert.False(polled);
    }
}
