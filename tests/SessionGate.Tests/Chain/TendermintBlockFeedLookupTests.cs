using System.Net;
using SessionGate.Chain;
using SessionGate.Protocol;

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
            FakeTendermintHandler.Json(TendermintSamples.RpcError("block not found"), HttpStatusCode.InternalServerError));

        Assert.Equal(BlockLookup.Unknown, await rig.Feed.FindAsync(UnknownHash));
    }

    public static TheoryData<string> MalformedBlocks => new()
    {
        "not json",
        "[]",
        "{}",
        """{"result":{}}""",
        """{"result":{"block_id":{"hash":"@HASH"},"block":{}}}""",
        """{"result":{"block_id":{"hash":"XYZ"},"block":{"header":{"height":"5","time":"2026-11-21T12:00:00Z"}}}}""",
        """{"result":{"block_id":{"hash":"@HASH"},"block":{"header":{"height":"five","time":"2026-11-21T12:00:00Z"}}}}""",
        """{"result":{"block_id":{"hash":"@HASH"},"block":{"header":{"height":"5","time":"2026-11-21 12:00:00"}}}}""",
        """{"result":{"block_id":{"hash":"@OTHER"},"block":{"header":{"height":"5","time":"2026-11-21T12:00:00Z"}}}}""",
    };

    [Theory]
    [MemberData(nameof(MalformedBlocks))]
    public async Task FindAsync_MalformedResponse_UnavailableWithoutThrowing(string body)
    {
        using var rig = new TendermintRig();
        string json = body.Replace("@HASH", UnknownHash.ToUpperHex(), StringComparison.Ordinal).Replace("@OTHER", new string('C', 64), StringComparison.Ordinal);
        rig.Node.Respond = (_, _) => Task.FromResult<HttpResponseMessage?>(FakeTendermintHandler.Json(json));

        Assert.Equal(BlockLookup.Unavailable, await rig.Feed.FindAsync(UnknownHash));
        Assert.Contains(rig.Logger.Entries, e => e.EventId.Id == 3002 && e.Level == Microsoft.Extensions.Logging.LogLevel.Warning);
    }

    public static TheoryData<int> ServerErrors => new() { 500, 502, 503, 404 };

    [Theory]
    [MemberData(nameof(ServerErrors))]
    public async Task FindAsync_HttpErrorWithoutRpcBody_Unavailable(int status)
    {
        using var rig = new TendermintRig();
        rig.Node.Respond = (_, _) => Task.FromResult<HttpResponseMessage?>(FakeTendermintHandler.Json("<html>oops</html>", (HttpStatusCode)status));

        Assert.Equal(BlockLookup.Unavailable, await rig.Feed.FindAsync(UnknownHash));
    }

    [Fact]
    public async Task FindAsync_TransportError_UnavailableCachedBrieflyThenRetried()
    {
        using var rig = new TendermintRig();
        rig.Node.Respond = (_, _) => throw new HttpRequestException("Connection refused");

        Assert.Equal(BlockLookup.Unavailable, await rig.Feed.FindAsync(UnknownHash));
        Assert.Equal(BlockLookup.Unavailable, await rig.Feed.FindAsync(UnknownHash));
        Assert.Equal(1, rig.Node.Count("/block_by_hash"));

        rig.Node.Respond = null;
        rig.Clock.Advance(TimeSpan.FromSeconds(1.5));
        Assert.Equal(BlockLookup.Unknown, await rig.Feed.FindAsync(UnknownHash));
        Assert.Equal(2, rig.Node.Count("/block_by_hash"));
    }

    [Fact]
    public async Task FindAsync_AfterNodeFailure_OtherHashesUnavailableWithoutRequestForOneSecond()
    {
        using var rig = new TendermintRig();
        rig.Node.Respond = (_, _) => throw new HttpRequestException("Connection refused");
        await rig.Feed.FindAsync(UnknownHash);
        rig.Node.Respond = null;

        BlockLookup other = await rig.Feed.FindAsync(new Bytes32(new byte[32]));
        rig.Clock.Advance(TimeSpan.FromSeconds(1.5));
        BlockLookup later = await rig.Feed.FindAsync(new Bytes32(Enumerable.Repeat((byte)1, 32).ToArray()));

        Assert.Equal(BlockLookup.Unavailable, other);
        Assert.Equal(BlockLookup.Unknown, later);
        Assert.Equal(2, rig.Node.Count("/block_by_hash"));
    }

    [Fact]
    public async Task FindAsync_PollSucceedsAfterFailedPoll_AsksNodeAtOnce()
    {
        using var rig = new TendermintRig();
        rig.AddBlocks(1, 1);
        rig.Node.Respond = (_, _) => throw new HttpRequestException("Connection refused");
        await rig.Feed.PollOnceAsync(CancellationToken.None);
        rig.Node.Respond = null;

        await rig.Feed.PollOnceAsync(CancellationToken.None);

        Assert.Equal(BlockLookup.Unknown, await rig.Feed.FindAsync(UnknownHash));
        Assert.Equal(1, rig.Node.Count("/block_by_hash"));
    }

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
