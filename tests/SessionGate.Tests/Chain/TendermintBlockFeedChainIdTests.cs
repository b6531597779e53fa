using SessionGate.Chain;
using SessionGate.Protocol;
using SessionGate.Testing.Nodes;

namespace SessionGate.Tests.Chain;

/// <summary>The chain id of a Tendermint node: result.node_info.network, pinned or learned, and a node that changes it.</summary>
public sealed class TendermintBlockFeedChainIdTests
{
    private static ChainOptions Options(string? pinned = null) =>
        new() { Mode = ChainMode.Tendermint, RpcUrl = "http://node.test:26657", ChainId = pinned };

    [Fact]
    public async Task GetChainId_BeforeTheFirstPoll_IsNotYetKnown_ThenTheNodesNetwork()
    {
        using var rig = new TendermintRig();
        rig.AddBlocks(1, 1);
        Assert.Equal(ChainIdStatus.Missing(ChainIdProblem.NotYetKnown), rig.Feed.GetChainId());

        Assert.True(await rig.Feed.PollOnceAsync(CancellationToken.None));

        Assert.Equal(ChainIdStatus.Known("testnet-1"), rig.Feed.GetChainId());
        Assert.True(rig.Feed.GetHealth().IsHealthy);
    }

    [Fact]
    public async Task Poll_PinnedIdMatches_IsKnownAndHealthy()
    {
        using var rig = new TendermintRig(Options("testnet-1"));
        rig.AddBlocks(1, 1);

        Assert.True(await rig.Feed.PollOnceAsync(CancellationToken.None));

        Assert.Equal(ChainIdStatus.Known("testnet-1"), rig.Feed.GetChainId());
        Assert.Equal(ChainIdProblem.None, rig.Feed.GetHealth().ChainIdProblem);
    }

    [Fact]
    public async Task Poll_NodeOnAnotherNetworkThanThePin_RefusesItsBlocksAndIsUnhealthy()
    {
        using var rig = new TendermintRig(Options("kira-1"));
        rig.AddBlocks(1, 1);

        Assert.False(await rig.Feed.PollOnceAsync(CancellationToken.None));

        Assert.Null(rig.Feed.Latest);
        Assert.Equal(ChainIdStatus.Missing(ChainIdProblem.NetworkMismatch), rig.Feed.GetChainId());
        BlockFeedHealth health = rig.Feed.GetHealth();
        Assert.Equal(ChainIdProblem.NetworkMismatch, health.ChainIdProblem);
        Assert.False(health.IsHealthy);
        Assert.Contains(rig.Logger.Collector.GetSnapshot(), r => r.Id.Id == 3013);
    }

    [Fact]
    public async Task Poll_NetworkChangesLater_BecomesUnhealthy_AndRecoversWhenTheNodeIsBack()
    {
        using var rig = new TendermintRig();
        BlockInfo[] first = rig.AddBlocks(1, 1);
        Assert.True(await rig.Feed.PollOnceAsync(CancellationToken.None));

        rig.Node.Network = "other-chain-7";
        rig.Node.Produce(1);
        Assert.False(await rig.Feed.PollOnceAsync(CancellationToken.None));
        Assert.Equal(ChainIdProblem.NetworkMismatch, rig.Feed.GetChainId().Problem);
        Assert.False(rig.Feed.GetHealth().IsHealthy);
        Assert.Equal(first[0], rig.Feed.Latest);

        // Lookups do not ask a node of another chain (past the one-second back-off every failed poll sets).
        rig.Clock.Advance(TimeSpan.FromSeconds(2));
        int before = rig.Node.Requests.Count(u => u.AbsolutePath == "/block_by_hash");
        Assert.Equal(BlockLookupStatus.Unavailable, (await rig.Feed.FindAsync(new Bytes32(new byte[32]))).Status);
        Assert.Equal(before, rig.Node.Requests.Count(u => u.AbsolutePath == "/block_by_hash"));

        rig.Node.Network = "testnet-1";
        Assert.True(await rig.Feed.PollOnceAsync(CancellationToken.None));
        Assert.Equal(ChainIdStatus.Known("testnet-1"), rig.Feed.GetChainId());
        Assert.Contains(rig.Logger.Collector.GetSnapshot(), r => r.Id.Id == 3014);
    }

    [Theory]
    [InlineData("")]
    [InlineData("has space")]
    [InlineData("line\nbreak")]
    [InlineData("a-chain-id-that-is-longer-than-fifty-characters-000000")]
    public async Task Poll_MalformedNetwork_IsTreatedAsAbsent(string network)
    {
        using var rig = new TendermintRig();
        rig.AddBlocks(1, 1);
        rig.Node.Network = network;

        Assert.True(await rig.Feed.PollOnceAsync(CancellationToken.None));

        Assert.Equal(ChainIdProblem.NotYetKnown, rig.Feed.GetChainId().Problem);
    }

    [Fact]
    public async Task Poll_InterxShape_ReadsTheNetworkToo()
    {
        using var rig = new TendermintRig();
        rig.AddBlocks(1, 1);
        rig.Node.InterxStatusShape = true;
        rig.Node.Network = "kira-interx";

        Assert.True(await rig.Feed.PollOnceAsync(CancellationToken.None));

        Assert.Equal(ChainIdStatus.Known("kira-interx"), rig.Feed.GetChainId());
    }

    [Fact]
    public async Task CheckPinnedChainIdAsync_NodeContradictsThePin_ThrowsNamingBothIds()
    {
        using var rig = new TendermintRig(Options("kira-1"));
        rig.AddBlocks(1, 1);

        InvalidOperationException error = await Assert.ThrowsAsync<InvalidOperationException>(() => rig.Feed.CheckPinnedChainIdAsync(CancellationToken.None));

        Assert.Contains("SessionGate:Chain:ChainId is \"kira-1\"", error.Message, StringComparison.Ordinal);
        Assert.Contains("reports network \"testnet-1\"", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CheckPinnedChainIdAsync_NodeUnreachableOrMatching_DoesNotThrow()
    {
        using var matching = new TendermintRig(Options("testnet-1"));
        matching.AddBlocks(1, 1);
        Assert.Equal("testnet-1", await matching.Feed.CheckPinnedChainIdAsync(CancellationToken.None));

        using var down = new TendermintRig(Options("kira-1"));
        down.Node.Respond = (_, _) => throw new HttpRequestException("Connection refused");
        Assert.Null(await down.Feed.CheckPinnedChainIdAsync(CancellationToken.None));
    }

    [Theory]
    [InlineData("kira 1")]
    [InlineData("")]
    [InlineData("x\u00e9")]
    public void Validate_MalformedPinnedChainId_NamesTheKey(string chainId)
    {
        IReadOnlyList<string> errors = Options(chainId).Validate();

        Assert.Contains(errors, e => e.StartsWith("SessionGate:Chain:ChainId", StringComparison.Ordinal));
    }
}
