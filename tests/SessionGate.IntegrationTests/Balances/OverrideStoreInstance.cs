using Microsoft.Extensions.Logging.Abstractions;
using SessionGate.IntegrationTests.Infrastructure;
using SessionGate.RateLimiting.Tiers;
using SessionGate.Storage.Redis;

namespace SessionGate.IntegrationTests.Balances;

/// <summary>One gateway instance's <see cref="RedisTierOverrideStore"/> (see <see cref="RedisWorkerInstance"/>).</summary>
internal sealed class OverrideStoreInstance : RedisWorkerInstance
{
    private OverrideStoreInstance(RedisConnection connection, RedisTierOverrideStore store)
        : base(connection) => Store = store;

    public RedisTierOverrideStore Store { get; }

    public static async Task<OverrideStoreInstance> StartAsync(
        RedisServer server, string prefix, RedisTierOverrideStoreOptions? options = null, TimeSpan? operationTimeout = null)
    {
        options ??= new RedisTierOverrideStoreOptions();
        RedisConnection connection = await server.ConnectAsync(prefix, operationTimeout);
        var store = new RedisTierOverrideStore(connection, TimeProvider.System, NullLogger<RedisTierOverrideStore>.Instance, options);
        var instance = new OverrideStoreInstance(connection, store);
        await instance.RunWorkerAsync(
            store,
            () => (store.IsSubscribed || !options.SubscribeToChanges) && store.ObservedGeneration >= 0,
            "the override worker subscribes and loads once");
        return instance;
    }
}
