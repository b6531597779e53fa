using System.Net;
using SessionGate.Chain;
using SessionGate.Protocol;
using SessionGate.Testing.Nodes;

namespace SessionGate.Tests.Chain;

public sealed class TendermintBlockFeedFailureTests
{
    private static readonly Bytes32 UnknownHash = new(Enumerable.Repeat((byte)0xAB, 32).ToArray());

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
        rig.Node.Respond = (_, _) => Task.FromResult<HttpResponseMessage?>(FakeTendermintNode.Json(json));

        Assert.Equal(BlockLookup.Unavailable, await rig.Feed.FindAsync(UnknownHash));
        Assert.Contains(rig.Logger.Collector.GetSnapshot(), e => e.Id.Id == 3002 && e.Level == Microsoft.Extensions.Logging.LogLevel.Warning);
    }

    public static TheoryData<int> ServerErrors => new() { 500, 502, 503, 404 };

    [Theory]
    [MemberData(nameof(ServerErrors))]
    public async Task FindAsync_HttpErrorWithoutRpcBody_Unavailable(int status)
    {
        using var rig = new TendermintRig();
        rig.Node.Respond = (_, _) => Task.FromResult<HttpResponseMessage?>(FakeTendermintNode.Json("<html>oops</html>", (HttpStatusCode)status));

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
}
