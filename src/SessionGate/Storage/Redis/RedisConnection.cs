// The one place that configures StackExchange.Redis: the stores reach Redis through this class, so
// timeouts, key prefixes and the mapping of client errors to RedisUnavailableException live here.
using StackExchange.Redis;

namespace SessionGate.Storage.Redis;

/// <summary>
/// A shared Redis connection with a hard per-operation timeout and key prefixing. Made in two steps so
/// that no constructor blocks on the network: the stores are built with an unconnected instance, and
/// <see cref="ConnectAsync(CancellationToken)"/> (called once at host start-up) opens the multiplexer.
/// Until then, and whenever Redis is down, operations fail fast with <see cref="RedisUnavailableException"/>.
/// </summary>
public sealed class RedisConnection : IAsyncDisposable
{
    private readonly bool _ownsMultiplexer;
    private volatile IConnectionMultiplexer? _multiplexer;

    /// <summary>An unconnected connection to <see cref="RedisOptions.Configuration"/>; see <see cref="ConnectAsync(CancellationToken)"/>.</summary>
    public RedisConnection(RedisOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        Options = options;
        _ownsMultiplexer = true;
    }

    /// <summary>
    /// Uses a multiplexer the application made and owns (it is not disposed here);
    /// <see cref="RedisOptions.Configuration"/> is then only informational.
    /// </summary>
    public RedisConnection(IConnectionMultiplexer multiplexer, RedisOptions options)
    {
        ArgumentNullException.ThrowIfNull(multiplexer);
        ArgumentNullException.ThrowIfNull(options);
        Options = options;
        _multiplexer = multiplexer;
    }

    /// <summary>The options this connection was made with.</summary>
    public RedisOptions Options { get; }

    /// <summary>True while at least one server is connected.</summary>
    public bool IsConnected => _multiplexer?.IsConnected ?? false;

    /// <summary>The multiplexer, once connected.</summary>
    /// <exception cref="RedisUnavailableException">Not connected yet.</exception>
    public IConnectionMultiplexer Multiplexer => _multiplexer ?? throw NotConnectedYet();

    /// <summary>The multiplexer, or null while not connected yet (for readers that must not throw, such as metrics).</summary>
    public IConnectionMultiplexer? TryGetMultiplexer() => _multiplexer;

    /// <summary>The database commands go to.</summary>
    /// <exception cref="RedisUnavailableException">Not connected yet.</exception>
    public IDatabase Database => Multiplexer.GetDatabase();

    /// <summary>Pub/sub.</summary>
    /// <exception cref="RedisUnavailableException">Not connected yet.</exception>
    public ISubscriber Subscriber => Multiplexer.GetSubscriber();

    /// <summary>
    /// Opens the multiplexer (once; later calls return at once). Does not fail when Redis is down: the
    /// multiplexer keeps retrying in the background and operations fail fast (within
    /// <see cref="RedisOptions.OperationTimeout"/>) until it is back.
    /// </summary>
    public async Task ConnectAsync(CancellationToken cancellationToken = default)
    {
        if (_multiplexer is not null)
        {
            return;
        }

        ConnectionMultiplexer multiplexer = await ConnectionMultiplexer.ConnectAsync(Configure(Options)).WaitAsync(cancellationToken).ConfigureAwait(false);
        if (Interlocked.CompareExchange(ref _multiplexer, multiplexer, null) is not null)
        {
            await multiplexer.DisposeAsync().ConfigureAwait(false);
        }
    }

    /// <summary>A connected connection (for tools and tests that have no host).</summary>
    public static async Task<RedisConnection> ConnectAsync(RedisOptions options)
    {
        var connection = new RedisConnection(options);
        await connection.ConnectAsync().ConfigureAwait(false);
        return connection;
    }

    private static ConfigurationOptions Configure(RedisOptions options)
    {
        ConfigurationOptions configuration = ConfigurationOptions.Parse(options.Configuration);
        configuration.AbortOnConnectFail = false;
        int timeoutMs = (int)Math.Max(1, options.OperationTimeout.TotalMilliseconds);
        configuration.ConnectTimeout = Math.Max(timeoutMs, 1000);
        configuration.SyncTimeout = timeoutMs;
        configuration.AsyncTimeout = timeoutMs;
        configuration.KeepAlive = 5;
        configuration.ConnectRetry = 1;
        return configuration;
    }

    private static RedisUnavailableException NotConnectedYet() =>
        new("Redis is not connected yet.", new InvalidOperationException("RedisConnection.ConnectAsync has not completed."));

    // 0: not known yet, 1: standalone (or a replica set), 2: cluster.
    private int _topology;

    /// <summary>
    /// True when Redis is a cluster, as far as the connected servers tell (false while none is
    /// connected yet). Multi-key commands must then keep to one hash slot.
    /// </summary>
    public bool IsCluster
    {
        get
        {
            int topology = Volatile.Read(ref _topology);
            if (topology != 0)
            {
                return topology == 2;
            }

            if (_multiplexer is not { } multiplexer)
            {
                return false;
            }

            foreach (System.Net.EndPoint endpoint in multiplexer.GetEndPoints())
            {
                IServer server = multiplexer.GetServer(endpoint);
                if (server.IsConnected)
                {
                    bool cluster = server.ServerType == ServerType.Cluster;
                    Volatile.Write(ref _topology, cluster ? 2 : 1);
                    return cluster;
                }
            }

            return false;
        }
    }

    /// <summary>The full key for <paramref name="suffix"/> (prefix + suffix).</summary>
    public RedisKey Key(string suffix) => Options.KeyPrefix + suffix;

    /// <summary>
    /// Runs one Redis operation, giving up after <see cref="RedisOptions.OperationTimeout"/>.
    /// Throws <see cref="RedisUnavailableException"/> on timeout or connection failure.
    /// </summary>
    public async Task<T> RunAsync<T>(Func<IDatabase, Task<T>> operation, CancellationToken cancellationToken = default)
    {
        try
        {
            IConnectionMultiplexer multiplexer = _multiplexer ?? throw NotConnectedYet();
            return await operation(multiplexer.GetDatabase()).WaitAsync(Options.OperationTimeout, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException e)
        {
            throw new RedisUnavailableException("Redis did not answer within " + Options.OperationTimeout.TotalMilliseconds + " ms.", e);
        }
        catch (RedisConnectionException e)
        {
            throw new RedisUnavailableException("Redis is not reachable.", e);
        }
        catch (RedisServerException e) when (IsTransient(e))
        {
            // Replies such as LOADING (after a restart) or CLUSTERDOWN mean "Redis cannot serve now",
            // not a bug: callers degrade exactly as for a timeout.
            throw new RedisUnavailableException("Redis cannot serve requests right now (" + e.Message + ").", e);
        }
    }

    /// <summary>Runs one Redis operation that returns nothing (see <see cref="RunAsync{T}"/>).</summary>
    public Task RunAsync(Func<IDatabase, Task> operation, CancellationToken cancellationToken = default) =>
        RunAsync(async db =>
        {
            await operation(db).ConfigureAwait(false);
            return true;
        }, cancellationToken);

    private static bool IsTransient(RedisServerException e) =>
        TransientErrorPrefixes.Any(prefix => e.Message.StartsWith(prefix, StringComparison.Ordinal));

    private static readonly string[] TransientErrorPrefixes = ["LOADING", "BUSY", "MASTERDOWN", "READONLY", "CLUSTERDOWN", "TRYAGAIN"];

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (_ownsMultiplexer && Interlocked.Exchange(ref _multiplexer, null) is { } multiplexer)
        {
            await multiplexer.CloseAsync(allowCommandsToComplete: false).ConfigureAwait(false);
            await multiplexer.DisposeAsync().ConfigureAwait(false);
        }
    }
}

/// <summary>Redis timed out or is unreachable. Callers degrade as configured (never a 500 to a client).</summary>
public sealed class RedisUnavailableException : StoreUnavailableException
{
    /// <summary>Creates the exception.</summary>
    public RedisUnavailableException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
