using Microsoft.Extensions.Logging.Abstractions;
using SessionGate.IntegrationTests.Infrastructure;
using SessionGate.Storage.Redis;
using SessionGate.Verification;
using SessionGate.Verification.Blocking;

namespace SessionGate.IntegrationTests.Blocking;

/// <summary>One gateway instance's <see cref="RedisClientBlocker"/> (see <see cref="RedisWorkerInstance"/>).</summary>
internal sealed class BlockerInstance : RedisWorkerInstance
{
    private BlockerInstance(RedisConnection connection, RedisClientBlocker blocker)
        : base(connection) => Blocker = blocker;

    public RedisClientBlocker Blocker { get; }

    public static async Task<BlockerInstance> StartAsync(RedisServer server, string prefix, ClientBlockingOptions options, bool runWorker = true, TimeSpan? operationTimeout = null)
    {
        RedisConnection connection = await server.ConnectAsync(prefix, operationTimeout);
        var blocker = new RedisClientBlocker(connection, options, TimeProvider.System, NullLogger<RedisClientBlocker>.Instance);
        var instance = new BlockerInstance(connection, blocker);
        if (runWorker)
        {
            await instance.RunWorkerAsync(blocker, () => blocker.IsSubscribed, "the blocker listens to block messages");
        }

        return instance;
    }
}
