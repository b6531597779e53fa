using Microsoft.Extensions.Logging.Abstractions;
using SessionGate.IntegrationTests.Infrastructure;
using SessionGate.Storage.Redis;
using SessionGate.Verification;
using SessionGate.Verification.Blocking;

namespace SessionGate.IntegrationTests.Blocking;

/// <summary>One gateway instance's blocker: its own connection, and its listener worker unless told otherwise.</summary>
internal sealed class BlockerInstance : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private Task _worker = Task.CompletedTask;

    private BlockerInstance(RedisConnection connection, RedisClientBlocker blocker)
    {
        Connection = connection;
        Blocker = blocker;
    }

    public RedisConnection Connection { get; }

    public RedisClientBlocker Blocker { get; }

    public static async Task<BlockerInstance> StartAsync(RedisServer server, string prefix, ClientBlockingOptions options, bool runWorker = true, TimeSpan? operationTimeout = null)
    {
        RedisConnection connection = await server.ConnectAsync(prefix, operationTimeout);
        var blocker = new RedisClientBlocker(connection, options, TimeProvider.System, NullLogger<RedisClientBlocker>.Instance);
        var instance = new BlockerInstance(connection, blocker);
        if (runWorker)
        {
            instance._worker = Task.Run(() => blocker.RunAsync(instance._stop.Token));
            await Eventually.HoldsAsync(() => Task.FromResult(blocker.IsSubscribed), TimeSpan.FromSeconds(10), "the blocker listens to block messages");
        }

        return instance;
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _worker;
        _stop.Dispose();
        await Connection.DisposeAsync();
    }
}
