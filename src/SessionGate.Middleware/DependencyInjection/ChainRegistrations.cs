using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using SessionGate.Balances;
using SessionGate.Chain;
using SessionGate.AspNetCore.Configuration;
using SessionGate.Storage.Redis;

namespace SessionGate.AspNetCore.DependencyInjection;

/// <summary>
/// The chain seams: where blocks are kept (<see cref="IBlockStore"/>), where they come from
/// (<see cref="IBlockFeed"/>: the dev chain or a Tendermint node, by <c>SessionGate:Chain:Mode</c>)
/// and balances (<see cref="IBalanceSource"/>: Cosmos REST when <c>SessionGate:Chain:RestUrl</c> is
/// set, else the dev accounts; cached either way).
/// </summary>
internal static class ChainRegistrations
{
    // Blocks are kept a little beyond the freshness window so a header is never refused as unknown
    // while it could still be fresh.
    private static readonly TimeSpan RetentionMargin = TimeSpan.FromMinutes(1);

    public static void AddSessionGateChain(this IServiceCollection services)
    {
        services.TryAddSingleton<IBlockStore>(sp =>
        {
            ChainOptions chain = sp.EffectiveChainOptions();
            TimeProvider time = sp.GetRequiredService<TimeProvider>();
            return sp.UsesRedis()
                ? new RedisBlockStore(sp.GetRequiredService<RedisConnection>(), chain, time, sp.GetRequiredService<ILogger<RedisBlockStore>>())
                : new InMemoryBlockStore(chain.Retention, time);
        });

        services.TryAddSingleton<IBlockFeed>(sp =>
        {
            ChainOptions chain = sp.EffectiveChainOptions();
            IBlockStore store = sp.GetRequiredService<IBlockStore>();
            TimeProvider time = sp.GetRequiredService<TimeProvider>();
            return chain.Mode == ChainMode.Tendermint
                ? new TendermintBlockFeed(CreateRpcClient(chain), chain, store, time, sp.GetRequiredService<ILogger<TendermintBlockFeed>>())
                : new DevChain(chain, store, time, sp.GetRequiredService<ILogger<DevChain>>());
        });

        services.TryAddSingleton<IBlockFeedHealth>(sp => sp.GetRequiredService<IBlockFeed>() as IBlockFeedHealth
            ?? throw new InvalidOperationException("The registered IBlockFeed does not report its health: register an IBlockFeedHealth too."));
        services.TryAddSingleton(sp => new ChainMetrics(sp.GetRequiredService<IBlockFeedHealth>(), sp.GetService<IMeterFactory>()));

        services.TryAddSingleton<IBalanceSource>(sp =>
        {
            ChainOptions chain = sp.EffectiveChainOptions();
            TimeProvider time = sp.GetRequiredService<TimeProvider>();
            IBalanceSource source = chain.RestUrl is null
                ? new DevBalanceSource(chain, time)
                : new CosmosRestBalanceSource(CreateRestClient(chain), chain, time, sp.GetRequiredService<ILogger<CosmosRestBalanceSource>>());
            return new CachingBalanceSource(source, sp.GetSessionGateOptions().RateLimiting.BalanceCache, time, sp.GetRequiredService<ILogger<CachingBalanceSource>>());
        });
    }

    /// <summary><c>SessionGate:Chain</c> with a retention long enough for the freshness window.</summary>
    public static ChainOptions EffectiveChainOptions(this IServiceProvider services)
    {
        SessionGateOptions options = services.GetSessionGateOptions();
        TimeSpan needed = options.Window + options.ClockSkew + RetentionMargin;
        return options.Chain.Retention >= needed ? options.Chain : options.Chain with { Retention = needed };
    }

    // One long-lived client for the feed's lifetime; recycling pooled connections picks up DNS
    // changes of the node. The feed applies RequestTimeout itself (on the injected TimeProvider),
    // so the client's own timeout is only a backstop.
    private static HttpClient CreateRestClient(ChainOptions chain) =>
        new(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(2), ConnectTimeout = chain.Tendermint.RequestTimeout })
        {
            Timeout = chain.Tendermint.RequestTimeout * 2,
        };

    private static HttpClient CreateRpcClient(ChainOptions chain) =>
        new(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(2), ConnectTimeout = chain.Tendermint.RequestTimeout })
        {
            BaseAddress = new Uri(chain.RpcUrl!.TrimEnd('/') + "/"),
            Timeout = chain.Tendermint.RequestTimeout * 2,
        };
}
