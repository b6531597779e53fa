using System.Net;
using SessionGate.Chain;
using SessionGate.Protocol;
using SessionGate.Testing.Nodes;

namespace SessionGate.Tests.Chain;

public sealed class TendermintBlockFeedLookupTests
{
    private static readonly Bytes32 UnknownHash = new(Enumerable.Repeat((byte)0xAB, 32).ToArray());

    [Fact]
    public async Task FindAsync_PolledBlock_CompletesSynchronouslyWithoutRequest()
    {
        using var rig = new TendermintRig();
        BlockInfo head = rig.AddBlocks(5, 5)[0];
        await rig.Feed.PollOnceAsync(CancellationToken.None);

        ValueTask<BlockLookup> lookup = rig.Feed.FindAsync(head.Hash);

        Assert.True(lookup.IsCompletedSuccessfully);
        Assert.Equal(BlockLookup.Found(head), await lookup);
        Assert.Single(rig.Node.Requests);
    }

    [Fact]
    public async Task FindAsync_UnknownHash_AsksBlockByHashWithPrefixedUppercaseHex()
    {
        using var rig = new TendermintRig();

        await rig.Feed.FindAsync(UnknownHash);

        Uri request = Assert.Single(rig.Node.Requests);
        Assert.Equal("/block_by_hash", request.AbsolutePath);
        Assert.Equal("?hash=0x" + UnknownHash.ToUpperHex(), request.Query);
    }

    [Fact]
    public async Task FindAsync_NodeReturnsNullBlock_UnknownAndNegativelyCached()
    {
        using var rig = new TendermintRig();

        BlockLookup first = await rig.Feed.FindAsync(UnknownHash);
        ValueTask<BlockLookup> second = rig.Feed.FindAsync(UnknownHash);

        Assert.Equal(BlockLookup.Unknown, first);
        Assert.True(second.IsCompletedSuccessfully);
        Assert.Equal(BlockLookup.Unknown, await second);
        Assert.Equal(1, rig.Node.Count("/block_by_hash"));
    }

    [Fact]
    public async Task FindAsync_AfterNegativeCacheTtl_AsksNodeAgain()
    {
        using var rig = new TendermintRig();
        await rig.Feed.FindAsync(UnknownHash);

        rig.Clock.Advance(rig.Options.Tendermint.NegativeCacheTtl - TimeSpan.FromSeconds(1));
        await rig.Feed.FindAsync(UnknownHash);
        Assert.Equal(1, rig.Node.Count("/block_by_hash"));

        rig.Clock.Advance(TimeSpan.FromSeconds(2));
        await rig.Feed.FindAsync(UnknownHash);
        Assert.Equal(2, rig.Node.Count("/block_by_hash"));
    }

    [Fact]
    public async Task FindAsync_NodeHasBlock_FoundAndKeptLocally()
    {
        using var rig = new TendermintRig();
        BlockInfo block = rig.AddBlocks(3, 3)[0];

        BlockLookup first = await rig.Feed.FindAsync(block.Hash);
        ValueTask<BlockLookup> second = rig.Feed.FindAsync(block.Hash);

        Assert.Equal(BlockLookup.Found(block), first);
        Assert.True(second.IsCompletedSuccessfully);
        Assert.Equal(1, rig.Node.Count("/block_by_hash"));
        Assert.Equal(block, rig.Feed.Latest);
    }

    [Fact]
    public async Task FindAsync_JsonRpcErrorWithHttp500_Unknown()
    {
        using var rig = new TendermintRig();
        rig.Node.Respond = (_, _) => Task.FromResult<HttpResponseMessage?>(
            FakeTendermintNode.Json(TendermintSamples.RpcError("block not found"), HttpStatusCode.InternalServerError));

        Assert.Equal(BlockLookup.Unknown, await rig.Feed.FindAsync(UnknownHash));
    }

    [Fact]
    public async Task FindAsync_BlockPastRetention_FoundButNotKeptAndNotAskedAgain()
    {
        using var rig = new TendermintRig();
        BlockInfo old = TendermintSamples.MakeBlock(2, rig.Clock.GetUtcNow() - TimeSpan.FromMinutes(10));
        rig.Node.Add(old);

        Assert.Equal(BlockLookup.Found(old), await rig.Feed.FindAsync(old.Hash));
        Assert.Equal(BlockLookup.Found(old), await rig.Feed.FindAsync(old.Hash));

        Assert.False(rig.Store.TryGetLocal(old.Hash, out _));
        Assert.Equal(1, rig.Node.Count("/block_by_hash"));
    }
}
