using System.Globalization;
using Microsoft.Extensions.Logging;
using SessionGate.Hosting;
using SessionGate.Storage.Redis;
using StackExchange.Redis;

namespace SessionGate.Usage;

/// <summary>
/// The history shared by every gateway instance. Requests are counted in this instance's memory only
/// (<see cref="HistoryRecorder"/>: no Redis command on the request path); every
/// <see cref="FlushInterval"/> the background worker adds what was counted since the last flush to
/// per-hour hashes by HINCRBY, each key's expiry set to <see cref="Retention"/>; those commands run inside
/// Redis through <see cref="HashIncrementWriter"/> (one EVALSHA per 250 fields on a standalone Redis,
/// per hash slot and 250 fields on a cluster), not one command per field:
/// <list type="bullet">
/// <item><c>{prefix}usage:hist:o:{hour}</c> — all traffic; fields <c>{mm}:{metric}</c> (minute of the hour 00–59).</item>
/// <item><c>{prefix}usage:hist:a:{hour}:{account}</c> — one account's minutes, same fields (accounts are bounded by the key directory and the per-minute cap).</item>
/// <item><c>{prefix}usage:hist:d:{hour}</c> — the top lists: fields <c>{kind}:{name}:{metric}</c>, kind <c>a</c> account, <c>p</c> anonymous prefix, <c>t</c> route, <c>m</c> method; an empty name is the "other" bucket.</item>
/// </list>
/// Metrics: <c>r</c> requests, <c>x</c> refused, <c>c</c> cost, <c>w</c> would-be refused. Anonymous
/// traffic has no key of its own (only capped fields of the hour's top lists), so the number of keys is
/// 2 per hour plus one per active account and hour. The caps apply per minute and instance: the flush
/// keeps each recent minute's rollup (names and all) and writes what was added since the last flush.
/// A failed flush keeps its counts (for at most 24 hours) and retries on the next tick. Double counting:
/// each script call is atomic, so when every call of a flush fails (Redis down, the usual failure)
/// nothing was added and the retry counts once; when only some calls failed, or a call ran but its
/// answer was lost (a timeout), the retry adds those counts again (before, the same held per pipelined
/// HINCRBY): this errs towards the counts the operator needs (refusals, cost) being there.
/// </summary>
internal sealed class RedisUsageHistory : IUsageHistory, IBackgroundWorker
{
    /// <summary>How long an hour's hash is kept after its last write: the 24 hours read plus a margin for the hour itself.</summary>
    public static readonly TimeSpan Retention = TimeSpan.FromHours(25);

    /// <summary>How often counts are added to Redis (so the newest minute shows within this delay).</summary>
    public static readonly TimeSpan FlushInterval = TimeSpan.FromSeconds(5);

    private static readonly string[] MetricNames = ["r", "x", "c", "w"];

    private readonly RedisConnection _connection;
    private readonly HashIncrementWriter _writer;
    private readonly HistoryRecorder _recorder;
    private readonly UsageHistoryLimits _limits;
    private readonly ILogger _logger;
    private readonly Dictionary<long, HistoryMinute> _pending = [];
    private readonly Lock _pendingLock = new();

    public RedisUsageHistory(RedisConnection connection, TimeProvider time, ILogger<RedisUsageHistory> logger, UsageHistoryLimits? limits = null, int stripes = 0)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(logger);
        _connection = connection;
        _logger = logger;
        _writer = new HashIncrementWriter(connection, logger);
        _limits = limits ?? UsageHistoryLimits.Default;
        _recorder = new HistoryRecorder(time, _limits, AddPending, stripes);
    }

    /// <inheritdoc />
    public string Name => "usage-history-flush";

    /// <inheritdoc />
    public void Record(in UsageHistoryEntry entry) => _recorder.Record(entry);

    /// <inheritdoc />
    public void RecordMethodCall(string method, long cost, bool refused, bool wouldBeRefused = false) =>
        _recorder.RecordMethodCall(method, cost, refused, wouldBeRefused);

    /// <inheritdoc />
    public async Task<UsageHistoryReport> ReadAsync(HistoryRange range, int top, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(top, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(top, HistoryReportBuilder.MaxTop);
        DateTimeOffset time = _recorder.Time.GetUtcNow();
        var builder = new HistoryReportBuilder(HistoryRecorder.MinuteOf(time), range);
        long[] hours = HoursOf(builder);
        HashEntry[][] hashes = await _connection.RunAsync(
            db =>
            {
                IBatch batch = db.CreateBatch();
                Task<HashEntry[]>[] reads = [.. hours.SelectMany(h => new[] { batch.HashGetAllAsync(OverallKey(h)), batch.HashGetAllAsync(TopKey(h)) })];
                batch.Execute();
                return Task.WhenAll(reads);
            },
            cancellationToken).ConfigureAwait(false);

        for (int i = 0; i < hours.Length; i++)
        {
            AddMinutes(builder, hours[i], hashes[2 * i]);
            foreach (HashEntry entry in hashes[(2 * i) + 1])
            {
                if (TryParseTopField(entry, out HistoryDimension dimension, out string name, out HistoryCounts counts))
                {
                    builder.AddTop(dimension, name, counts);
                }
            }
        }

        return builder.Report(time, DateTimeOffset.FromUnixTimeSeconds(hours[0] * 3600), top);
    }

    /// <inheritdoc />
    public async Task<HistorySeries> ReadAccountAsync(string account, HistoryRange range, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(account);
        var builder = new HistoryReportBuilder(_recorder.CurrentMinute, range);
        if (account.Length == 0)
        {
            return builder.Series();
        }

        long[] hours = HoursOf(builder);
        HashEntry[][] hashes = await _connection.RunAsync(
            db =>
            {
                IBatch batch = db.CreateBatch();
                Task<HashEntry[]>[] reads = [.. hours.Select(h => batch.HashGetAllAsync(AccountKey(h, account)))];
                batch.Execute();
                return Task.WhenAll(reads);
            },
            cancellationToken).ConfigureAwait(false);

        for (int i = 0; i < hours.Length; i++)
        {
            AddMinutes(builder, hours[i], hashes[i]);
        }

        return builder.Series();
    }

    /// <inheritdoc />
    public async Task RunAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(FlushInterval, _recorder.Time, stoppingToken).ConfigureAwait(false);
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

    /// <summary>Adds everything counted since the last successful flush to Redis; false when Redis failed (the counts are kept).</summary>
    internal async Task<bool> FlushAsync(CancellationToken cancellationToken)
    {
        foreach (HistoryMinute minute in _recorder.TakeAll())
        {
            AddPending(minute);
        }

        List<HistoryMinute> batch = [];
        long current = _recorder.CurrentMinute;
        lock (_pendingLock)
        {
            foreach (HistoryMinute minute in _pending.Values.ToList())
            {
                if (minute.Minute <= current - UsageHistoryLimits.RetainedMinutes)
                {
                    _pending.Remove(minute.Minute);
                    continue;
                }

                if (minute.TakeDelta() is { } delta)
                {
                    batch.Add(delta);
                }
                else if (minute.Minute < current - 1)
                {
                    // Written and finished: the stripes have handed it over (a stripe that was idle
                    // since may still hand over its part later; it is counted, under fresh caps).
                    _pending.Remove(minute.Minute);
                }
            }
        }

        if (batch.Count == 0)
        {
            return true;
        }

        try
        {
            await _connection.RunAsync(db => WriteAsync(db, batch), cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (Exception e) when (e is RedisUnavailableException || (e is OperationCanceledException && cancellationToken.IsCancellationRequested))
        {
            if (e is RedisUnavailableException)
            {
                Log.HistoryFlushFailed(_logger, e, batch.Count);
            }

            // A flush whose script calls failed part-way (some calls applied, or one ran but its answer
            // was lost) may have added some increments: counting them again on retry could count twice,
            // dropping them could count nothing; keeping them errs towards the counts the operator
            // needs (refusals, cost) being there. When every call failed, nothing was added.
            foreach (HistoryMinute minute in batch)
            {
                AddPending(minute);
            }

            return false;
        }
    }

    private static long HourOf(long minute) => Math.DivRem(minute, 60, out long rest) - (rest < 0 ? 1 : 0);

    private static long[] HoursOf(HistoryReportBuilder builder)
    {
        long first = HourOf(builder.First), last = HourOf(builder.Last);
        return [.. Enumerable.Range(0, (int)(last - first + 1)).Select(i => first + i)];
    }

    private static void AddMinutes(HistoryReportBuilder builder, long hour, HashEntry[] fields)
    {
        foreach (HashEntry entry in fields)
        {
            string field = (string?)entry.Name ?? "";
            if (field.Length == 4 && field[2] == ':'
                && int.TryParse(field.AsSpan(0, 2), NumberStyles.None, CultureInfo.InvariantCulture, out int minuteOfHour) && minuteOfHour < 60
                && TryCounts(field[3..], entry.Value, out HistoryCounts counts))
            {
                builder.AddMinute((hour * 60) + minuteOfHour, counts);
            }
        }
    }

    private static bool TryParseTopField(HashEntry entry, out HistoryDimension dimension, out string name, out HistoryCounts counts)
    {
        string field = (string?)entry.Name ?? "";
        int last = field.LastIndexOf(':');
        dimension = default;
        name = "";
        counts = default;
        if (field.Length < 4 || field[1] != ':' || last < 2)
        {
            return false;
        }

        (bool known, dimension) = field[0] switch
        {
            'a' => (true, HistoryDimension.Account),
            'p' => (true, HistoryDimension.Prefix),
            't' => (true, HistoryDimension.Route),
            'm' => (true, HistoryDimension.Method),
            _ => (false, default),
        };
        name = field[2..last];
        return known && TryCounts(field[(last + 1)..], entry.Value, out counts);
    }

    private static bool TryCounts(string metric, RedisValue value, out HistoryCounts counts)
    {
        counts = default;
        if (!value.TryParse(out long n) || n <= 0)
        {
            return false;
        }

        counts = metric switch
        {
            "r" => new HistoryCounts(n, 0, 0, 0),
            "x" => new HistoryCounts(0, n, 0, 0),
            "c" => new HistoryCounts(0, 0, n, 0),
            "w" => new HistoryCounts(0, 0, 0, n),
            _ => default,
        };
        return !counts.IsEmpty;
    }

    private static IEnumerable<(string Metric, long Value)> Metrics(HistoryCounts counts)
    {
        long[] values = [counts.Requests, counts.Refused, counts.Cost, counts.WouldBeRefused];
        for (int i = 0; i < values.Length; i++)
        {
            if (values[i] != 0)
            {
                yield return (MetricNames[i], values[i]);
            }
        }
    }

    private static char KindOf(HistoryDimension dimension) => dimension switch
    {
        HistoryDimension.Account => 'a',
        HistoryDimension.Prefix => 'p',
        HistoryDimension.Route => 't',
        _ => 'm',
    };

    private void AddPending(HistoryMinute minute)
    {
        lock (_pendingLock)
        {
            if (!_pending.TryGetValue(minute.Minute, out HistoryMinute? held))
            {
                held = new HistoryMinute(minute.Minute);
                _pending.Add(minute.Minute, held);
            }

            held.MergeFrom(minute, _limits);
        }
    }

    private Task WriteAsync(IDatabase db, List<HistoryMinute> minutes)
    {
        // One hash per key, whatever the number of minutes that write to it (an hour's keys collect them all).
        var hashes = new Dictionary<RedisKey, HashIncrements>();
        foreach (HistoryMinute minute in minutes)
        {
            long hour = HourOf(minute.Minute);
            string mm = (minute.Minute - (hour * 60)).ToString("00", CultureInfo.InvariantCulture);
            Increment(OverallKey(hour), mm, minute.Overall);
            RedisKey top = TopKey(hour);
            foreach (HistoryDimension dimension in Enum.GetValues<HistoryDimension>())
            {
                foreach ((string name, HistoryCounts counts) in minute.Names(dimension))
                {
                    Increment(top, KindOf(dimension) + ":" + name, counts);
                    if (dimension == HistoryDimension.Account && name.Length > 0)
                    {
                        Increment(AccountKey(hour, name), mm, counts);
                    }
                }
            }
        }

        return _writer.WriteAsync(db, hashes.Values, Retention);

        void Increment(RedisKey key, string field, HistoryCounts counts)
        {
            foreach ((string metric, long value) in Metrics(counts))
            {
                if (!hashes.TryGetValue(key, out HashIncrements? hash))
                {
                    hashes[key] = hash = new HashIncrements(key);
                }

                hash.Add(field + ":" + metric, value);
            }
        }
    }

    private RedisKey OverallKey(long hour) => _connection.Key("usage:hist:o:" + hour.ToString(CultureInfo.InvariantCulture));

    private RedisKey TopKey(long hour) => _connection.Key("usage:hist:d:" + hour.ToString(CultureInfo.InvariantCulture));

    private RedisKey AccountKey(long hour, string account) =>
        _connection.Key("usage:hist:a:" + hour.ToString(CultureInfo.InvariantCulture) + ":" + account);
}
