using Microsoft.Extensions.Logging.Abstractions;
using SessionGate.IntegrationTests.Infrastructure;
using SessionGate.Keys.Redis;
using SessionGate.Storage.Redis;

namespace SessionGate.IntegrationTests.Keys;

/// <summary>
/// One gateway instance's view of the directory: its own RedisConnection, its own
/// <see cref="RedisSignerKeyDirectory"/> and, unless told otherwise, its background worker running,
/// as the ASP.NET host would run it.
/// </summary>
internal sealed class DirectoryInstance : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private Task _worker = Task.CompletedTask;

    private DirectoryInstance(RedisConnection connection, RedisSignerKeyDirectory directory)
    {
        Connection = connection;
        Directory = directory;
    }

    public RedisConnection Connection { get; }

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
            instance._worker = Task.Run(() => directory.RunAsync(instance._stop.Token));
            await Eventually.HoldsAsync(
                () => Task.FromResult((directory.IsSubscribed || !options.SubscribeToChanges) && directory.ObservedGeneration >= 0),
                TimeSpan.FromSeconds(10),
                "the directory worker subscribes and polls once");
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
