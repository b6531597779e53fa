using System.Globalization;
using Microsoft.Extensions.Logging;
using SessionGate.Hosting;
using SessionGate.Storage.Redis;
using StackExchange.Redis;

namespace SessionGate.Usage;

/// <summary>
/// Usage shared by every gateway instance. Requests are counted in this instance's memory only
/// (<see cref="UsageCounters"/>: no Redis command on the request path); the background worker adds
/// each completed second to the hash <c>{prefix}usage:{unixSecond}</c> once per second: fields
/// <c>r</c>/<c>x</c>/<c>s</c> overall — requests, refusals, shadow mode's would-be refusals — and
/// <c>r:&lt;account&gt;</c>/<c>x:&lt;account&gt;</c>/<c>s:&lt;account&gt;</c> per account, each by
/// HINCRBY, then an expiry of <see cref="Retention"/>. Those commands run inside Redis through
/// <see cref="HashIncrementWriter"/>: one EVALSHA per second's hash and 250 fields, not one command
/// per field. Reads sum the window's hashes, so they include every instance's completed seconds; the
/// current second shows only once flushed.
/// A flush that fails is retried on the next tick, whole, while its second is still in the window.
/// Double counting: each script call is atomic, so when every call of a flush fails (Redis down or
/// unreachable, the usual failure) nothing was added and the retry counts once. When only some calls
/// failed, or a call ran but its answer was lost (a timeout), the retry adds those counts again — the
/// same as the pipelined HINCRBYs did before, but now per call rather than per field (and a flush of
/// up to 250 fields is a single call).
/// </summary>
internal sealed class RedisUsageTracker : IUsageTracker, IBackgroundWorker
{
    /// <summary>How long a second's hash is kept: the window plus a margin for late flushes and skewed clocks.</summary>
    public static readonly TimeSpan Retention = TimeSpan.FromMinutes(3);

    // After a second ends, wait a little before flushing it so requests finishing on its edge are counted in it.
    private static readonly TimeSpan FlushDelay = TimeSpan.FromMilliseconds(100);

    private readonly RedisConnection _connection;
    private readonly HashIncrementWriter _writer;
    private readonly UsageCounters _counters;
    private readonly ILogger _logger;
    private readonly List<SecondCounts> _pending = [];

    public RedisUsageTracker(RedisConnection connection, TimeProvider time, ILogger<RedisUsageTracker> logger, int maxAccountsPerSecond = UsageCounters.DefaultMaxAccountsPerSecond)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(logger);
        _connection = connection;
        _logger = logger;
        _writer = new HashIncrementWriter(connection, logger);
        _counters = new UsageCounters(time, maxAccountsPerSecond);
    }

    /// <inheritdoc />
    public string Name => "usage-flush";

    /// <inheritdoc />
    public void Record(string? account, bool rejected) => _counters.Record(account, rejected, shadowRejected: false);

    /// <inheritdoc />
    public void Record(string? account, bool rejected, bool shadowRejected) => _counters.Record(account, rejected, shadowRejected);

    /// <inheritdoc />
    public async Task<UsageSnapshot> ReadAsync(CancellationToken cancellationToken = default)
    {
        DateTimeOffset time = _counters.Time.GetUtcNow();
        var aggregate = new UsageAggregate(time.ToUnixTimeSeconds());
        long[] seconds = [.. aggregate.Seconds];
        HashEntry[][] hashes = await _connection.RunAsync(
            db =>
            {
                IBatch batch = db.CreateBatch();
                Task<HashEntry[]>[] reads = [.. seconds.Select(s => batch.HashGetAllAsync(KeyFor(s)))];
                batch.Execute();
                return Task.WhenAll(reads);
            },
            cancellationToken).ConfigureAwait(false);

        for (int i = 0; i < seconds.Length; i++)
        {
            long requests = 0, rejected = 0, shadowRejected = 0;
            foreach (HashEntry entry in hashes[i])
            {
                string field = (string?)entry.Name ?? "";
                if (!entry.Value.TryParse(out long value) || value <= 0)
                {
                    continue;
                }

                switch (field)
                {
                    case "r":
                        requests = value;
                        break;
                    case "x":
                        rejected = value;
                        break;
                    case "s":
                        shadowRejected = value;
                        break;
                    default:
                        if (field.Length > 2 && field[1] == ':' && field[0] is 'r' or 'x' or 's')
                        {
                            string account = field[2..];
                            aggregate.AddAccount(account, seconds[i], field[0] == 'r' ? value : 0, field[0] == 'x' ? value : 0, field[0] == 's' ? value : 0);
                        }

                        break;
                }
            }

            aggregate.AddOverall(seconds[i], requests, rejected, shadowRejected);
        }

        return aggregate.ToSnapshot(time);
    }

    /// <inheritdoc />
    public async Task<UsageSeries> ReadAccountAsync(string account, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(account);
        var aggregate = new UsageAggregate(_counters.CurrentSecond);
        long[] seconds = [.. aggregate.Seconds];
        RedisValue[] fields = ["r:" + account, "x:" + account, "s:" + account];
        RedisValue[][] values = await _connection.RunAsync(
            db =>
            {
                IBatch batch = db.CreateBatch();
                Task<RedisValue[]>[] reads = [.. seconds.Select(s => batch.HashGetAsync(KeyFor(s), fields))];
                batch.Execute();
                return Task.WhenAll(reads);
            },
            cancellationToken).ConfigureAwait(false);

        for (int i = 0; i < seconds.Length; i++)
        {
            long requests = values[i][0].TryParse(out long r) ? r : 0;
            long rejected = values[i][1].TryParse(out long x) ? x : 0;
            long shadowRejected = values[i][2].TryParse(out long s) ? s : 0;
            if (requests > 0 || rejected > 0 || shadowRejected > 0)
            {
                aggregate.AddAccount(account, seconds[i], requests, rejected, shadowRejected);
            }
        }

        return aggregate.ToSnapshot(_counters.Time.GetUtcNow()).Accounts.GetValueOrDefault(account) ?? UsageSeries.Empty;
    }

    /// <inheritdoc />
    public async Task RunAsync(CancellationToken stoppingToken)
    {
        TimeProvider time = _counters.Time;
        while (!stoppingToken.IsCancellationRequested)
        {
            DateTimeOffset now = time.GetUtcNow();
            TimeSpan untilNextSecond = TimeSpan.FromTicks(TimeSpan.TicksPerSecond - (now.UtcTicks % TimeSpan.TicksPerSecond));
            try
            {
                await Task.Delay(untilNextSecond + FlushDelay, time, stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }

            await FlushAsync(stoppingToken).ConfigureAwait(false);
        }

        // Last counts of a stopping instance: best effort, bounded by the operation timeout.
        await FlushAsync(CancellationToken.None).ConfigureAwait(false);
    }

    /// <summary>Adds the completed seconds (and any earlier failed flush still in the window) to Redis; false when Redis failed.</summary>
    internal async Task<bool> FlushAsync(CancellationToken cancellationToken)
    {
        _pending.AddRange(_counters.TakeCompleted());
        long oldest = _counters.CurrentSecond - UsageWindow.Seconds;
        _pending.RemoveAll(s => s.Second < oldest);
        if (_pending.Count == 0)
        {
            return true;
        }

        SecondCounts[] batchCounts = [.. _pending];
        try
        {
            await _connection.RunAsync(db => WriteAsync(db, batchCounts), cancellationToken).ConfigureAwait(false);
        }
        catch (RedisUnavailableException e)
        {
            Log.FlushFailed(_logger, e, batchCounts.Length);
            return false;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return false;
        }

        _pending.Clear();
        return true;
    }

    private Task WriteAsync(IDatabase db, SecondCounts[] seconds)
    {
        var hashes = new List<HashIncrements>(seconds.Length);
        foreach (SecondCounts second in seconds)
        {
            var hash = new HashIncrements(KeyFor(second.Second));
            hash.Add("r", second.Requests);
            if (second.Rejected > 0)
            {
                hash.Add("x", second.Rejected);
            }

            if (second.ShadowRejected > 0)
            {
                hash.Add("s", second.ShadowRejected);
            }

            foreach (AccountCounts account in second.Accounts)
            {
                hash.Add("r:" + account.Account, account.Requests);
                if (account.Rejected > 0)
                {
                    hash.Add("x:" + account.Account, account.Rejected);
                }

                if (account.ShadowRejected > 0)
                {
                    hash.Add("s:" + account.Account, account.ShadowRejected);
                }
            }

            hashes.Add(hash);
        }

        return _writer.WriteAsync(db, hashes, Retention);
    }

    private RedisKey KeyFor(long second) => _connection.Key("usage:" + second.ToString(CultureInfo.InvariantCulture));
}
