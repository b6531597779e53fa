using Microsoft.Extensions.Logging;
using SessionGate.Caching;
using SessionGate.Hosting;
using SessionGate.Storage.Redis;
using StackExchange.Redis;

namespace SessionGate.Verification.Blocking;

/// <summary>
/// Client blocking shared by every instance through Redis: one Lua script per recorded failure counts
/// the failure and, at the threshold, sets the block (see <see cref="BlockingScripts"/>). The hot-path
/// question "is this client blocked?" never reaches Redis: it is answered from a bounded local cache of
/// blocks, which this instance fills (a) from its own failures (the script returns the block's time
/// left, also for a block another instance made) and (b) from block/unblock messages on a pub/sub
/// channel that the background worker (<see cref="RunAsync"/>) listens to. A message lost while the
/// subscription is down delays (a) only: the blocked client is refused here from its next failure on,
/// since counts and blocks live in Redis. When Redis is unreachable, failures are counted on this
/// instance alone (logged once), so blocking keeps working, per instance, until Redis is back.
/// </summary>
internal sealed partial class RedisClientBlocker : IClientBlocker, IBackgroundWorker
{
    private readonly RedisConnection _connection;
    private readonly ClientBlockingOptions _options;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger<RedisClientBlocker> _logger;
    private readonly BlockingLayout _layout;
    private readonly BoundedCache<string, long> _blockEnds;
    private readonly FailureCounter _fallback;
    private readonly RedisSubscription _subscription;
    private readonly ClientPrefixTable _prefixes;
    private readonly RedisValue _windowMs;
    private readonly RedisValue _blockMs;
    private int _redisFailing;

    /// <summary>Creates the blocker; run it as a background worker to learn of blocks made by other instances.</summary>
    public RedisClientBlocker(RedisConnection connection, ClientBlockingOptions options, TimeProvider timeProvider, ILogger<RedisClientBlocker> logger)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ClientBlockingRules.Validate(options);
        ArgumentNullException.ThrowIfNull(timeProvider);
        ArgumentNullException.ThrowIfNull(logger);
        _connection = connection;
        _options = options;
        _timeProvider = timeProvider;
        _logger = logger;
        _layout = new BlockingLayout(connection);
        _blockEnds = new BoundedCache<string, long>(ClientBlockingRules.BlockCapacity(options), timeProvider);
        _fallback = new FailureCounter(ClientBlockingRules.CounterCapacity(options), options.FailureWindow, timeProvider);
        _subscription = new RedisSubscription(connection, _layout.Channel, OnMessage);
        _prefixes = new ClientPrefixTable(options);
        _windowMs = (long)Math.Ceiling(options.FailureWindow.TotalMilliseconds);
        _blockMs = (long)Math.Ceiling(options.BlockDuration.TotalMilliseconds);
    }

    /// <inheritdoc />
    public string Name => "client-block-listener";

    /// <summary>True while block messages from other instances are being received.</summary>
    internal bool IsSubscribed => _subscription.IsActive;

    /// <summary>Clients held in memory now (local blocks plus fallback counters). For tests.</summary>
    internal int TrackedClients => _blockEnds.Count + _fallback.Tracked;

    /// <inheritdoc />
    public ValueTask<TimeSpan?> GetBlockedForAsync(string client, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(_options.Enabled ? LocalRemaining(client) : null);

    /// <inheritdoc />
    /// <remarks>Returns the time left whenever the client is blocked after this failure, newly or already.</remarks>
    public async ValueTask<TimeSpan?> RecordFailureAsync(string client, CancellationToken cancellationToken = default)
    {
        if (!_options.Enabled)
        {
            return null;
        }

        ArgumentException.ThrowIfNullOrEmpty(client);
        if (LocalRemaining(client) is { } known)
        {
            // Already blocked: no need to spend a Redis round trip per refused attempt.
            return known;
        }

        int threshold = _prefixes.FailureThresholdOf(client);
        RedisResult result;
        try
        {
            result = await _connection.RunAsync(
                db => db.ScriptEvaluateAsync(
                    BlockingScripts.RecordFailure,
                    [_layout.Failures(client), _layout.Blocked(client)],
                    [threshold, _windowMs, _blockMs, (string?)_layout.Channel, client]),
                cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is RedisUnavailableException or RedisException)
        {
            // RedisException: server replies such as LOADING after a restart, which RunAsync passes through.
            if (Interlocked.Exchange(ref _redisFailing, 1) == 0)
            {
                Log.RedisFallback(_logger, e);
            }

            return RecordLocally(client, threshold);
        }

        if (Interlocked.Exchange(ref _redisFailing, 0) == 1)
        {
            Log.RedisRecovered(_logger);
        }

        if ((RedisResult[]?)result is not { Length: 2 } parts)
        {
            throw new RedisUnavailableException("Redis returned an unexpected client-block result.", new FormatException("Expected {remaining ms, newly blocked}."));
        }

        long remainingMs = (long)parts[0];
        if (remainingMs <= 0)
        {
            return null;
        }

        TimeSpan remaining = TimeSpan.FromMilliseconds(remainingMs);
        RememberBlock(client, remaining);
        if ((long)parts[1] == 1)
        {
            Log.ClientBlocked(_logger, Diagnostics.LogValue.Escape(client), remaining, threshold, _options.FailureWindow);
        }

        return remaining;
    }

    /// <inheritdoc />
    public async Task<bool> UnblockAsync(string client, CancellationToken cancellationToken = default)
    {
        if (!_options.Enabled)
        {
            return false;
        }

        ArgumentException.ThrowIfNullOrEmpty(client);
        RedisResult lifted = await _connection.RunAsync(
            db => db.ScriptEvaluateAsync(BlockingScripts.Unblock, [_layout.Failures(client), _layout.Blocked(client)], [(string?)_layout.Channel, client]),
            cancellationToken).ConfigureAwait(false);
        bool wasBlockedLocally = LocalRemaining(client) is not null;
        _blockEnds.Remove(client);
        _fallback.Reset(client);
        bool wasBlocked = (long)lifted == 1 || wasBlockedLocally;
        if (wasBlocked)
        {
            Log.ClientUnblocked(_logger, Diagnostics.LogValue.Escape(client));
        }

        return wasBlocked;
    }

    private TimeSpan? LocalRemaining(string client)
    {
        if (!_blockEnds.TryGet(client, out long end))
        {
            return null;
        }

        long now = _timeProvider.GetTimestamp();
        return end > now ? _timeProvider.GetElapsedTime(now, end) : null;
    }

    private void RememberBlock(string client, TimeSpan remaining) =>
        _blockEnds.Set(client, _timeProvider.GetTimestamp() + (long)(remaining.TotalSeconds * _timeProvider.TimestampFrequency), remaining);

    private TimeSpan? RecordLocally(string client, int threshold)
    {
        if (!_fallback.Increment(client, Math.Max(1, threshold)))
        {
            return null;
        }

        RememberBlock(client, _options.BlockDuration);
        Log.ClientBlocked(_logger, Diagnostics.LogValue.Escape(client), _options.BlockDuration, threshold, _options.FailureWindow);
        return _options.BlockDuration;
    }
}
