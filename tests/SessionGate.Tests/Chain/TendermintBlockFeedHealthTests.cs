using SessionGate.Chain;
using SessionGate.Testing.Nodes;

namespace SessionGate.Tests.Chain;

public sealed class TendermintBlockFeedHealthTests
{
    public static TheoryData<string> MalformedStatuses => new()
    {
        "not json",
        "[]",
        """{"result":{}}""",
        """{"result":{"sync_info":{"latest_block_hash":"ABC","latest_block_height":"1","latest_block_time":"2026-11-21T12:00:00Z"}}}""",
        """{"result":{"sync_info":{"latest_block_hash":"{0}","latest_block_height":"x1","latest_block_time":"2026-11-21T12:00:00Z"}}}""",
        """{"result":{"sync_info":{"latest_block_hash":"{0}","latest_block_height":"0","latest_block_time":"2026-11-21T12:00:00Z"}}}""",
        """{"result":{"sync_info":{"latest_block_hash":"{0}","latest_block_height":"1","latest_block_time":"yesterday"}}}""",
        """{"jsonrpc":"2.0","id":-1,"error":{"code":-32603,"message":"Internal error"}}""",
    };

    [Theory]
    [MemberData(nameof(MalformedStatuses))]
    public async Task PollOnceAsync_MalformedStatus_ReturnsFalseWithoutThrowing(string body)
    {
        using var rig = new TendermintRig();
        string json = body.Replace("{0}", new string('A', 64), StringComparison.Ordinal);
        rig.Node.Respond = (_, _) => Task.FromResult<HttpResponseMessage?>(FakeTendermintNode.Json(json));

        bool answered = await rig.Feed.PollOnceAsync(CancellationToken.None);

        Assert.False(answered);
        Assert.Null(rig.Feed.Latest);
        Assert.Equal(1, rig.Feed.GetHealth().ConsecutiveFailures);
    }

    [Fact]
    public async Task PollOnceAsync_NodeUnreachable_CountsFailuresAndReportsUnhealthy()
    {
        using var rig = new TendermintRig();
        rig.Node.Respond = (_, _) => throw new HttpRequestException("Connection refused");

        Assert.False(await rig.Feed.PollOnceAsync(CancellationToken.None));
        Assert.False(await rig.Feed.PollOnceAsync(CancellationToken.None));

        BlockFeedHealth health = rig.Feed.GetHealth();
        Assert.Null(health.LastSuccessfulPoll);
        Assert.Equal(2, health.ConsecutiveFailures);
        Assert.False(health.IsHealthy);
    }

    [Fact]
    public async Task GetHealth_NewestBlockOlderThanHealthyBlockAge_NotRecent()
    {
        using var rig = new TendermintRig();
        rig.AddBlocks(1, 1);
        await rig.Feed.PollOnceAsync(CancellationToken.None);
        Assert.True(rig.Feed.GetHealth().IsHealthy);

        rig.Clock.Advance(rig.Options.HealthyBlockAge + TimeSpan.FromSeconds(1));
        await rig.Feed.PollOnceAsync(CancellationToken.None); // the node answers, but its chain stalled

        BlockFeedHealth health = rig.Feed.GetHealth();
        Assert.False(health.IsLatestRecent);
        Assert.False(health.IsHealthy);
        Assert.Equal(rig.Clock.GetUtcNow(), health.LastSuccessfulPoll);
    }
}
