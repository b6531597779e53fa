using SessionGate.Chain;
using SessionGate.Protocol;

namespace SessionGate.Tests.Chain;

public sealed class TendermintBlockFeedSingleFlightTests
{
    private static readonly Bytes32 UnknownHash = new(Enumerable.Repeat((byte)0xAB, 32).ToArray());

    [Fact]
    public async Task FindAsync_NodeNeverAnswers_UnavailableOnceRequestTimeoutPasses()
    {
        using var rig = new TendermintRig();
        var entered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        rig.Node.Respond = async (_, token) =>
        {
            entered.TrySetResult();
            await Task.Delay(Timeout.Infinite, token);
            return null;
        };

        ValueTask<BlockLookup> lookup = rig.Feed.FindAsync(UnknownHash);
        await entered.Task;
        rig.Clock.Advance(rig.Options.Tendermint.RequestTimeout);

        Assert.Equal(BlockLookup.Unavailable, await lookup);
    }

    [Fact]
    public async Task FindAsync_ConcurrentCallsForSameHash_ShareOneRequest()
    {
        using var rig = new TendermintRig();
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        rig.Node.Respond = async (_, _) =>
        {
            await gate.Task;
            return null;
        };

        Task<BlockLookup>[] lookups = [.. Enumerable.Range(0, 50).Select(_ => rig.Feed.FindAsync(UnknownHash).AsTask())];
        Assert.Equal(1, rig.Feed.InFlightCount);
        gate.SetResult();
        BlockLookup[] results = await Task.WhenAll(lookups);

        Assert.All(results, r => Assert.Equal(BlockLookup.Unknown, r));
        Assert.Equal(1, rig.Node.Count("/block_by_hash"));
        Assert.Equal(0, rig.Feed.InFlightCount);
    }

    [Fact]
    public async Task FindAsync_ConcurrentLookupLimitReached_UnavailableWithoutRequest()
    {
        var options = new ChainOptions
        {
            Mode = ChainMode.Tendermint, RpcUrl = "http://node.test", Tendermint = new TendermintOptions { MaxConcurrentLookups = 2 },
        };
        using var rig = new TendermintRig(options);
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        rig.Node.Respond = async (_, _) =>
        {
            await gate.Task;
            return null;
        };

        Task<BlockLookup> first = rig.Feed.FindAsync(new Bytes32(new byte[32])).AsTask();
        Task<BlockLookup> second = rig.Feed.FindAsync(UnknownHash).AsTask();
        ValueTask<BlockLookup> third = rig.Feed.FindAsync(new Bytes32(Enumerable.Repeat((byte)7, 32).ToArray()));

        Assert.True(third.IsCompletedSuccessfully);
        Assert.Equal(BlockLookup.Unavailable, await third);
        gate.SetResult();
        await Task.WhenAll(first, second);
        Assert.Equal(2, rig.Node.Count("/block_by_hash"));
    }

    [Fact]
    public async Task FindAsync_OneCallerCancels_OthersStillGetTheAnswer()
    {
        using var rig = new TendermintRig();
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        rig.Node.Respond = async (_, _) =>
        {
            await gate.Task;
            return null;
        };
        using var impatient = new CancellationTokenSource();

        Task<BlockLookup> cancelled = rig.Feed.FindAsync(UnknownHash, impatient.Token).AsTask();
        Task<BlockLookup> patient = rig.Feed.FindAsync(UnknownHash).AsTask();
        await impatient.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => cancelled);
        gate.SetResult();

        Assert.Equal(BlockLookup.Unknown, await patient);
    }
}
