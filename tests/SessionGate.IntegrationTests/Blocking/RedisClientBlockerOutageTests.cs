using SessionGate.IntegrationTests.Infrastructure;
using SessionGate.IntegrationTests.Keys;
using SessionGate.Storage.Redis;
using SessionGate.Verification;

namespace SessionGate.IntegrationTests.Blocking;

/// <summary>Client blocking while Redis is dead: the hot path keeps answering and failures are counted locally.</summary>
public sealed class RedisClientBlockerOutageTests : IAsyncLifetime
{
    private static readonly ClientBlockingOptions ThreeFailures = new()
    {
        FailureThreshold = 3,
        FailureWindow = TimeSpan.FromMinutes(1),
        BlockDuration = TimeSpan.FromMinutes(5),
        MaxTrackedClients = 1000,
    };

    private RedisServer _server = null!;
    private BlockerInstance _instance = null!;

    public async Task InitializeAsync()
    {
        _server = await RedisServer.StartAsync();
        _instance = await BlockerInstance.StartAsync(_server, RedisServerFixture.NewPrefix(), ThreeFailures, operationTimeout: TimeSpan.FromMilliseconds(300));
    }

    public async Task DisposeAsync()
    {
        await _instance.DisposeAsync();
        await _server.DisposeAsync();
    }

    [Fact]
    public async Task RecordFailureAsync_RedisKilled_CountsLocallyAndKnownBlocksStillAnswer()
    {
        for (int i = 0; i < 3; i++)
        {
            await _instance.Blocker.RecordFailureAsync("10.0.0.1");
        }

        await _server.KillAsync();

        Assert.NotNull(await _instance.Blocker.GetBlockedForAsync("10.0.0.1"));
        Assert.Null(await _instance.Blocker.RecordFailureAsync("10.0.0.2"));
        Assert.Null(await _instance.Blocker.RecordFailureAsync("10.0.0.2"));
        Assert.Equal(ThreeFailures.BlockDuration, await _instance.Blocker.RecordFailureAsync("10.0.0.2"));
        Assert.NotNull(await _instance.Blocker.GetBlockedForAsync("10.0.0.2"));
        await Assert.ThrowsAsync<RedisUnavailableException>(() => _instance.Blocker.ListBlockedAsync());
        await Assert.ThrowsAsync<RedisUnavailableException>(() => _instance.Blocker.UnblockAsync("10.0.0.1"));
    }
}
