using Microsoft.Extensions.Logging.Abstractions;
using SessionGate.IntegrationTests.Infrastructure;
using SessionGate.RateLimiting.Tiers;
using SessionGate.Storage.Redis;

namespace SessionGate.IntegrationTests.Balances;

/// <summary>
/// One gateway instance's tier override store: its own RedisConnection, its own
/// <see cref="RedisTierOverrideStore"/> and its background worker running, as the ASP.NET host runs it.
/// </summary>
internal sealed class OverrideStoreInstance : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private Task _worker = Task.CompletedTask;

    private OverrideStoreInstance(RedisConnection connection, RedisTierOverrideStore store)
    {
        Connection = connection;
        Store = store;
    }

    public RedisConnection Connection { get; }

    public RedisTierOverrideStore Store { get; }

    public static async Task<OverrideStoreInstance> StartAsync(
        RedisServer server, string prefix, RedisTierOverrideStoreOptions? options = null, TimeSpan? operationTimeout = null)
    {
        options ??= new RedisTierOverrideStoreOptions();
        RedisConnection connection = await server.ConnectAsync(prefix, operationTimeout);
        var store = new RedisTierOverrideStore(connection, TimeProvider.System, NullLogger<RedisTierOverrideStore>.Instance, options);
        var instance = new OverrideStoreInstance(connection, store);
        instance._worker = Task.Run(() => store.RunAsync(instance._stop.Token));
        await Eventually.HoldsAsync(
            () => Task.FromResult((store.IsSubscribed || !options.SubscribeToChanges) && store.ObservedGeneration >= 0),
            TimeSpan.FromSeconds(10),
            "the override worker subscribes and loads once");
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
