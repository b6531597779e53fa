using Microsoft.Extensions.Logging.Abstractions;
using SessionGate.IntegrationTests.Infrastructure;
using SessionGate.Keys.Redis;
using SessionGate.Storage.Redis;

namespace SessionGate.IntegrationTests.Keys;

/// <summary>One gateway instance's <see cref="RedisSignerKeyDirectory"/> (see <see cref="RedisWorkerInstance"/>).</summary>
internal sealed class DirectoryInstance : RedisWorkerInstance
{
    private DirectoryInstance(RedisConnection connection, RedisSignerKeyDirectory directory)
        : base(connection) => Directory = directory;

    public RedisSignerKeyDirectory Directory { get; }

    public static async Task<DirectoryInstance> StartAsync(
        RedisServer server, string prefix, bool runWorker = true, TimeSpan? operationTimeout = null, RedisSignerKeyDirectoryOptions? options = null)
    {
        options ??= new RedisSignerKeyDirectoryOptions();
        RedisConnection connection = await server.ConnectAsync(prefix, operationTimeout);
        var directory = new RedisSignerKeyDirectory(connection, TimeProvider.System, NullLogger<RedisSignerKeyDirectory>.Instance, options);
        var instance = new DirectoryInstance(connection, directory);
        if (runWorker)
        {
            await instance.RunWorkerAsync(
                directory,
                () => (directory.IsSubscribed || !options.SubscribeToChanges) && directory.ObservedGeneration >= 0,
                "the directory worker subscribes and polls once");
        }

        return instance;
    }
}
