using System.Net;
using SessionGate.Chain;
using SessionGate.Testing.Nodes;

namespace SessionGate.Tests.Chain;

public sealed class TendermintBlockFeedPollingTests
{
    [Fact]
    public async Task PollOnceAsync_StatusWithStringHeightAndNanoseconds_SetsLatest()
    {
        using var rig = new TendermintRig();
        var head = TendermintSamples.MakeBlock(1234, rig.Clock.GetUtcNow().AddTicks(1234567));
        rig.Node.Add(head);

        bool answered = await rig.Feed.PollOnceAsync(CancellationToken.None);

        Assert.True(answered);
        Assert.Equal(head, rig.Feed.Latest);
        Assert.Equal(rig.Clock.GetUtcNow(), rig.Feed.GetHealth().LastSuccessfulPoll);
        Assert.True((await rig.Feed.FindAsync(head.Hash)).Status == BlockLookupStatus.Found);
    }

    [Fact]
    public async Task PollOnceAsync_InterxStatusShape_SetsLatest()
    {
        using var rig = new TendermintRig();
        rig.Node.InterxStatusShape = true;
        BlockInfo head = rig.AddBlocks(7, 7)[0];

        Assert.True(await rig.Feed.PollOnceAsync(CancellationToken.None));

        Assert.Equal(head, rig.Feed.Latest);
    }

    [Fact]
    public async Task PollOnceAsync_HeightsSkipped_FetchesGapNewestFirstAndFindsThemLocally()
    {
        using var rig = new TendermintRig();
        rig.AddBlocks(10, 10);
        await rig.Feed.PollOnceAsync(CancellationToken.None);
        BlockInfo[] later = rig.AddBlocks(11, 14);

        await rig.Feed.PollOnceAsync(CancellationToken.None);

        Assert.Equal([13, 12, 11], rig.Node.RequestedHeights());
        foreach (BlockInfo block in later)
        {
            ValueTask<BlockLookup> lookup = rig.Feed.FindAsync(block.Hash);
            Assert.True(lookup.IsCompletedSuccessfully);
            Assert.Equal(block, (await lookup).Block);
        }

        Assert.Equal(0, rig.Node.Count("/block_by_hash"));
        Assert.Equal(14, rig.Feed.Latest!.Height);
    }

    [Fact]
    public async Task PollOnceAsync_GapLargerThanMaxBackfill_FetchesOnlyTheNewestMax()
    {
        var options = new ChainOptions
        {
            Mode = ChainMode.Tendermint, RpcUrl = "http://node.test", Tendermint = new TendermintOptions { MaxBackfillPerPoll = 5 },
        };
        using var rig = new TendermintRig(options);
        rig.AddBlocks(10, 10);
        await rig.Feed.PollOnceAsync(CancellationToken.None);
        rig.AddBlocks(11, 500, TimeSpan.FromMilliseconds(100));

        await rig.Feed.PollOnceAsync(CancellationToken.None);

        Assert.Equal([499, 498, 497, 496, 495], rig.Node.RequestedHeights());
    }

    [Fact]
    public async Task PollOnceAsync_GapReachesPastRetention_StopsAtFirstTooOldBlock()
    {
        using var rig = new TendermintRig(); // retention 6 minutes
        rig.AddBlocks(1, 2, TimeSpan.FromMinutes(1));
        await rig.Feed.PollOnceAsync(CancellationToken.None);
        rig.Clock.Advance(TimeSpan.FromMinutes(10));
        rig.AddBlocks(3, 12, TimeSpan.FromMinutes(1)); // block 12 now, block 6 exactly 6 minutes old

        await rig.Feed.PollOnceAsync(CancellationToken.None);

        Assert.Equal([11, 10, 9, 8, 7, 6, 5], rig.Node.RequestedHeights());
        Assert.True(rig.Store.TryGetLocal(rig.Node.Blocks.Single(b => b.Height == 7).Hash, out _));
        Assert.False(rig.Store.TryGetLocal(rig.Node.Blocks.Single(b => b.Height == 5).Hash, out _));
    }

    [Fact]
    public async Task PollOnceAsync_HeadOlderThanRetention_DoesNotBackfill()
    {
        using var rig = new TendermintRig();
        rig.AddBlocks(1, 1);
        await rig.Feed.PollOnceAsync(CancellationToken.None);
        rig.Clock.Advance(TimeSpan.FromHours(1));
        rig.Node.Add(TendermintSamples.MakeBlock(50, rig.Clock.GetUtcNow() - TimeSpan.FromMinutes(30))); // a node catching up

        await rig.Feed.PollOnceAsync(CancellationToken.None);

        Assert.Empty(rig.Node.RequestedHeights());
        Assert.Equal(50, rig.Feed.Latest!.Height);
    }

    [Fact]
    public async Task PollOnceAsync_BackfillRequestFails_StopsAndKeepsHead()
    {
        using var rig = new TendermintRig();
        rig.AddBlocks(1, 1);
        await rig.Feed.PollOnceAsync(CancellationToken.None);
        rig.AddBlocks(2, 6);
        rig.Node.Respond = (request, _) => Task.FromResult(request.RequestUri!.AbsolutePath == "/block"
            ? FakeTendermintNode.Json("<html>bad gateway</html>", HttpStatusCode.BadGateway)
            : null);

        Assert.True(await rig.Feed.PollOnceAsync(CancellationToken.None));

        Assert.Equal([5], rig.Node.RequestedHeights());
        Assert.Equal(6, rig.Feed.Latest!.Height);
    }

    [Fact]
    public async Task RunAsync_EveryPollInterval_PollsTheNode()
    {
        using var rig = new TendermintRig();
        rig.AddBlocks(1, 1);
        using var stop = new CancellationTokenSource();

        Task run = rig.Feed.RunAsync(stop.Token);
        await Wait.UntilAsync(() => rig.Node.Count("/status") == 1, "the feed polls at start");
        rig.AddBlocks(2, 2);
        rig.Clock.Advance(rig.Options.PollInterval);
        await Wait.UntilAsync(() => rig.Feed.Latest?.Height == 2, "the feed polls again after one interval");
        await stop.CancelAsync();
        await run;

        Assert.Equal(2, rig.Node.Count("/status"));
    }
}
