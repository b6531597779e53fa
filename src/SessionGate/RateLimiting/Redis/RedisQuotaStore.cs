using Microsoft.Extensions.Logging;
using SessionGate.RateLimiting.Quotas;
using SessionGate.Storage.Redis;
using StackExchange.Redis;

namespace SessionGate.RateLimiting.Redis;

/// <summary>
/// Runs <see cref="QuotaScript"/> by its SHA-1 (EVALSHA: one command, one round trip per decision,
/// or per batch of concurrent decisions through <see cref="QuotaBatcher"/>).
/// When Redis does not know the script (first use on a node, or after a restart or SCRIPT FLUSH) it
/// answers NOSCRIPT; the store then sends the script itself once (EVAL, which also caches it on that
/// node) inside the same operation timeout, and every later decision is an EVALSHA again.
/// </summary>
internal sealed class RedisQuotaStore : IQuotaStore
{
    private readonly RedisConnection _connection;
    private readonly ILogger _logger;
    private readonly QuotaKeyLayout _layout;
    private readonly QuotaBatcher _batcher;

    /// <param name="connection">The Redis connection.</param>
    /// <param name="logger">The limiter's logger.</param>
    /// <param name="anonymous">Where anonymous daily budgets are kept (bucket count, prefixes). Default: the defaults.</param>
    public RedisQuotaStore(RedisConnection connection, ILogger logger, AnonymousLimits? anonymous = null)
    {
        _connection = connection;
        _logger = logger;
        _layout = new QuotaKeyLayout(connection, new AnonymousDayBuckets(anonymous ?? new AnonymousLimits(), connection.Options.KeyPrefix));
        _batcher = new QuotaBatcher(connection, EvaluateAsync);
    }

    /// <inheritdoc />
    /// <remarks>The multiplexer's view: false as soon as the socket to Redis is gone (a killed server,
    /// a refused connection); a server that hangs with its socket open is only found out by a call's
    /// timeout. On a cluster, true while any node is connected.</remarks>
    public bool IsConnected => _connection.IsConnected;

    /// <inheritdoc />
    public async Task<QuotaVerdict> DecideAsync(string key, GcraLimits limits, long cost, bool commit, CancellationToken cancellationToken) =>
        Parse(await _batcher.DecideAsync(_layout.Keys(key), DecisionArguments(limits, cost, commit, 0, default), cancellationToken).ConfigureAwait(false)).Verdict;

    /// <inheritdoc />
    public async Task<LeaseVerdict> LeaseAsync(string key, GcraLimits limits, long cost, long block, LeaseReturn giveBack, CancellationToken cancellationToken) =>
        Parse(await _batcher.DecideAsync(_layout.Keys(key), DecisionArguments(limits, cost, true, block, giveBack), cancellationToken).ConfigureAwait(false));

    /// <summary>
    /// Tests only: the same script with an explicit clock (ARGV[6]) instead of Redis TIME, so its
    /// decisions can be compared with <see cref="QuotaMath"/> at chosen instants.
    /// </summary>
    internal async Task<QuotaVerdict> DecideAtAsync(string key, GcraLimits limits, long cost, bool commit, long now, CancellationToken cancellationToken = default) =>
        (await LeaseAtAsync(key, limits, cost, commit, 0, default, now, cancellationToken).ConfigureAwait(false)).Verdict;

    /// <summary>Tests only: a lease decision (<see cref="LeaseMath.Decide"/>) with an explicit clock.</summary>
    internal async Task<LeaseVerdict> LeaseAtAsync(string key, GcraLimits limits, long cost, bool commit, long block, LeaseReturn giveBack, long now, CancellationToken cancellationToken = default)
    {
        RedisKey[] keys = _layout.Keys(key);
        RedisValue[] arguments = [now, .. DecisionArguments(limits, cost, commit, block, giveBack)];
        RedisResult result = await _connection.RunAsync(db => EvaluateAsync(db, keys, arguments), cancellationToken).ConfigureAwait(false);
        return Parse((RedisResult[]?)result);
    }

    private async Task<RedisResult> EvaluateAsync(IDatabase db, RedisKey[] keys, RedisValue[] arguments)
    {
        try
        {
            return await db.ScriptEvaluateAsync(QuotaScript.Sha1, keys, arguments).ConfigureAwait(false);
        }
        catch (RedisServerException e) when (e.Message.StartsWith("NOSCRIPT", StringComparison.Ordinal))
        {
            Log.ScriptLoaded(_logger);
            return await db.ScriptEvaluateAsync(QuotaScript.Text, keys, arguments, CommandFlags.NoScriptCache).ConfigureAwait(false);
        }
    }

    private static RedisValue[] DecisionArguments(GcraLimits limits, long cost, bool commit, long block, LeaseReturn giveBack) =>
        [limits.EmissionInterval, limits.Capacity, limits.DailyQuota, cost, commit ? 1 : 0, block, giveBack.Units, giveBack.SlotEnd, giveBack.Units > 0 ? giveBack.Day : -1];

    private static LeaseVerdict Parse(RedisResult[]? parts)
    {
        try
        {
            if (parts is { Length: QuotaScript.ResultsPerDecision })
            {
                return new LeaseVerdict(new QuotaVerdict(
                    Allowed: (long)parts[0] == 1,
                    Rejection: (QuotaRejection)(long)parts[1],
                    Remaining: (long)parts[2],
                    ResetMicros: (long)parts[3],
                    RetryAfterMicros: (long)parts[4],
                    DailyRemaining: (long)parts[5],
                    DailyResetMicros: (long)parts[6]),
                    Granted: (long)parts[7],
                    SlotEnd: (long)parts[8],
                    Day: (long)parts[9]);
            }
        }
        catch (InvalidCastException)
        {
            // Reported below.
        }

        // Not fixable at request time (a script of another version under the same SHA is impossible;
        // something else is answering): treat it like an outage so the failure mode decides.
        throw new RedisUnavailableException("Redis returned an unexpected rate-limit result.", new FormatException($"Expected {QuotaScript.ResultsPerDecision} integers."));
    }
}
