using System.Diagnostics;
using SessionGate.IntegrationTests.Infrastructure;
using SessionGate.Storage.Redis;
using static SessionGate.Testing.Keys.TestKeys;

namespace SessionGate.IntegrationTests.Keys;

/// <summary>The directory while its Redis is dead: cached answers keep coming, the rest fails fast.</summary>
public sealed class RedisOutageTests : IAsyncLifetime
{
    private static readonly TimeSpan OperationTimeout = TimeSpan.FromMilliseconds(300);
    private RedisServer _server = null!;
    private DirectoryInstance _instance = null!;

    public async Task InitializeAsync()
    {
        _server = await RedisServer.StartAsync();
        _instance = await DirectoryInstance.StartAsync(_server, RedisServerFixture.NewPrefix(), operationTimeout: OperationTimeout);
    }

    public async Task DisposeAsync()
    {
        await _instance.DisposeAsync();
        await _server.DisposeAsync();
    }

    [Fact]
    public async Task FindAsync_RedisKilled_CachedKeysAnswerAndUncachedKeyThrowsPromptly()
    {
        await _instance.Directory.RegisterAsync(Record(Key(1), Alice));
        await CacheAsync(Key(1), expectKnown: true);
        await CacheAsync(Key(2), expectKnown: false);

        await _server.KillAsync();

        Assert.Equal(Alice, (await _instance.Directory.FindAsync(Key(1)))?.Account);
        Assert.Null(await _instance.Directory.FindAsync(Key(2)));
        var clock = Stopwatch.StartNew();
        await Assert.ThrowsAsync<RedisUnavailableException>(async () => await _instance.Directory.FindAsync(Key(3)));
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(2), $"an uncached lookup failed after {clock.Elapsed.TotalMilliseconds} ms");

        // The worker's failing polls leave the cache alone: stale answers beat none while Redis is down.
        await Eventually.HoldsAsync(() => Task.FromResult(_instance.Directory.IsPollFailing), TimeSpan.FromSeconds(5), "the worker's poll fails");
        Assert.Equal(Alice, (await _instance.Directory.FindAsync(Key(1)))?.Account);
    }

    [Fact]
    public async Task Writes_RedisKilled_ThrowRedisUnavailable()
    {
        await _server.KillAsync();

        await Assert.ThrowsAsync<RedisUnavailableException>(() => _instance.Directory.RegisterAsync(Record(Key(1), Alice)));
        await Assert.ThrowsAsync<RedisUnavailableException>(() => _instance.Directory.DisableAsync(Key(1)));
        await Assert.ThrowsAsync<RedisUnavailableException>(() => _instance.Directory.SetExpiryAsync(Key(1), NextYear));
        await Assert.ThrowsAsync<RedisUnavailableException>(() => _instance.Directory.ListByAccountAsync(Alice, 0, 10));
    }

    [Fact]
    public async Task RunAsync_RedisRestartedWithoutItsData_DropsTheCacheOnceReachable()
    {
        await _instance.Directory.RegisterAsync(Record(Key(1), Alice));
        await CacheAsync(Key(1), expectKnown: true);

        await _server.KillAsync();
        await _server.RestartAsync();

        // The restarted Redis has no data: its change counter went back to 0, which differs from this
        // instance's, so the worker clears the cache and the key is (correctly) unknown now.
        await Eventually.HoldsAsync(
            async () =>
            {
                try
                {
                    return await _instance.Directory.FindAsync(Key(1)) is null;
                }
                catch (RedisUnavailableException)
                {
                    return false;
                }
            },
            TimeSpan.FromSeconds(20),
            "the instance notices the restarted Redis");
        Assert.Equal(SessionGate.Keys.KeyRegistrationResult.Registered, await _instance.Directory.RegisterAsync(Record(Key(1), Bob)));
    }

    private Task CacheAsync(SessionGate.Protocol.Bytes32 key, bool expectKnown) =>
        Eventually.HoldsAsync(
            async () => (await _instance.Directory.FindAsync(key) is not null) == expectKnown && _instance.Directory.IsCached(key),
            TimeSpan.FromSeconds(5),
            "the instance caches the key");
}
