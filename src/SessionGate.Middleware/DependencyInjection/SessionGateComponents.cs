using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using System.Diagnostics.Metrics;
using SessionGate.Balances;
using SessionGate.Chain;
using SessionGate.Configuration;
using SessionGate.Hosting;
using SessionGate.Keys;
using SessionGate.Keys.Redis;
using SessionGate.RateLimiting;
using SessionGate.RateLimiting.Quotas;
using SessionGate.RateLimiting.Redis;
using SessionGate.RateLimiting.Tiers;
using SessionGate.Storage.Redis;
using SessionGate.Usage;
using SessionGate.Verification;
using SessionGate.Verification.Blocking;

namespace SessionGate.DependencyInjection;

/// <summary>
/// Builds the stores and feeds once, choosing in-memory or Redis implementations and the chain mode
/// from the validated options, so that every interface a component implements (feed, health,
/// background worker) resolves to the same instance.
/// </summary>
internal sealed partial class SessionGateComponents : IAsyncDisposable
{
    // Blocks are kept a little beyond the freshness window so a header is never refused as unknown
    // while it could still be fresh.
    private static readonly TimeSpan RetentionMargin = TimeSpan.FromMinutes(1);

    public SessionGateComponents(IServiceProvider services)
    {
        SessionGateOptions options = services.GetRequiredService<IOptions<SessionGateOptions>>().Value;
        TimeProvider time = services.GetRequiredService<TimeProvider>();
        ILoggerFactory loggers = services.GetRequiredService<ILoggerFactory>();

        if (options.Redis is not null)
        {
            // Connecting does not wait for Redis to be up (the connection retries in the background),
            // so blocking here once at start-up is bounded by the connect timeout.
            Redis = RedisConnection.ConnectAsync(new RedisOptions
            {
                Configuration = options.Redis,
                OperationTimeout = options.RedisTimeout,
                KeyPrefix = options.RedisKeyPrefix,
            }).GetAwaiter().GetResult();
        }

        ChainOptions chain = ChainWithRetention(options);
        IBlockStore store = Redis is null
            ? new InMemoryBlockStore(chain.Retention, time)
            : new RedisBlockStore(Redis, chain, time, loggers.CreateLogger<RedisBlockStore>());
        BlockFeed = chain.Mode == ChainMode.Tendermint
            ? new TendermintBlockFeed(CreateChainClient(chain), chain, store, time, loggers.CreateLogger<TendermintBlockFeed>())
            : new DevChain(chain, store, time, loggers.CreateLogger<DevChain>());

        Directory = Redis is null
            ? new InMemorySignerKeyDirectory(time)
            : new RedisSignerKeyDirectory(Redis, time, loggers.CreateLogger<RedisSignerKeyDirectory>(), new RedisSignerKeyDirectoryOptions());

        ClientBlockingOptions blocking = options.ClientBlocking;
        Blocker = Redis is null
            ? new InMemoryClientBlocker(blocking, time, loggers.CreateLogger<InMemoryClientBlocker>())
            : new RedisClientBlocker(Redis, blocking, time, loggers.CreateLogger<RedisClientBlocker>());

        RateLimitingOptions limits = options.RateLimiting;
        IMeterFactory? meters = services.GetService<IMeterFactory>();
        if (chain.Mode == ChainMode.Tendermint && chain.RestUrl is null)
        {
            LogNoRestUrl(loggers.CreateLogger<SessionGateComponents>());
        }

        IBalanceSource balanceSource = chain.RestUrl is null
            ? new DevBalanceSource(chain, time)
            : new CosmosRestBalanceSource(CreateRestClient(chain), chain, time, loggers.CreateLogger<CosmosRestBalanceSource>());
        Balances = new CachingBalanceSource(balanceSource, limits, time, loggers.CreateLogger<CachingBalanceSource>());
        TierOverrides = Redis is null
            ? new InMemoryTierOverrideStore()
            : new RedisTierOverrideStore(Redis, time, loggers.CreateLogger<RedisTierOverrideStore>());
        Tiers = new TierResolver(Balances, TierOverrides, limits, loggers.CreateLogger<TierResolver>());
        QuotaLimiter = Redis is null
            ? new InMemoryQuotaLimiter(limits, time, meters)
            : new RedisQuotaLimiter(Redis, limits, time, loggers.CreateLogger<RedisQuotaLimiter>(), meters);
        Usage = Redis is null
            ? new InMemoryUsageTracker(time)
            : new RedisUsageTracker(Redis, time, loggers.CreateLogger<RedisUsageTracker>());
    }

    public RedisConnection? Redis { get; }

    public IBlockFeed BlockFeed { get; }

    public ISignerKeyDirectory Directory { get; }

    public IClientBlocker Blocker { get; }

    public IBalanceSource Balances { get; }

    public ITierOverrideStore TierOverrides { get; }

    public ITierResolver Tiers { get; }

    public IQuotaLimiter QuotaLimiter { get; }

    public IUsageTracker Usage { get; }

    /// <summary>The long-running loops of the chosen components.</summary>
    public IEnumerable<IBackgroundWorker> Workers =>
        new object[] { BlockFeed, Directory, Blocker, Balances, TierOverrides, QuotaLimiter, Usage }.OfType<IBackgroundWorker>();

    public static SessionVerifierOptions VerifierOptions(SessionGateOptions options) => new()
    {
        Window = options.Window,
        ClockSkew = options.ClockSkew,
        SigningContext = options.SigningContext,
        AddressPrefix = options.AddressPrefix,
        VerdictCacheCapacity = options.VerdictCacheCapacity,
    };

    public async ValueTask DisposeAsync()
    {
        if (Redis is not null)
        {
            await Redis.DisposeAsync().ConfigureAwait(false);
        }
    }

    private static ChainOptions ChainWithRetention(SessionGateOptions options)
    {
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

    private static HttpClient CreateChainClient(ChainOptions chain) =>
        new(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(2), ConnectTimeout = chain.Tendermint.RequestTimeout })
        {
            BaseAddress = new Uri(chain.RpcUrl!.TrimEnd('/') + "/"),
            Timeout = chain.Tendermint.RequestTimeout * 2,
        };

    [LoggerMessage(EventId = 1300, EventName = "NoRestUrl", Level = LogLevel.Warning,
        Message = "SessionGate:Chain:Mode is Tendermint but SessionGate:Chain:RestUrl is not set: balances come from SessionGate:Chain:Dev:Accounts, so every other account gets the lowest tier")]
    private static partial void LogNoRestUrl(ILogger logger);
}
