namespace SessionGate.Usage;

/// <summary>
/// The history of a single gateway instance (no Redis): a fixed ring of
/// <see cref="UsageHistoryLimits.RetainedMinutes"/> minute rollups, each capped per dimension, so
/// memory is bounded whatever clients send. A slot is reused for the minute 24 hours later, which is
/// how old minutes expire. The request path records into <see cref="HistoryRecorder"/>'s stripes; a
/// stripe hands each finished minute to the ring, and reads collect the rest first.
/// </summary>
internal sealed class InMemoryUsageHistory : IUsageHistory
{
    private readonly HistoryRecorder _recorder;
    private readonly UsageHistoryLimits _limits;
    private readonly HistoryMinute?[] _ring = new HistoryMinute?[UsageHistoryLimits.RetainedMinutes];
    private readonly Lock _ringLock = new();

    public InMemoryUsageHistory(TimeProvider time, UsageHistoryLimits? limits = null, int stripes = 0)
    {
        _limits = limits ?? UsageHistoryLimits.Default;
        _recorder = new HistoryRecorder(time, _limits, AddToRing, stripes);
    }

    /// <inheritdoc />
    public void Record(in UsageHistoryEntry entry) => _recorder.Record(entry);

    /// <inheritdoc />
    public void RecordMethodCall(string method, long cost, bool refused, bool wouldBeRefused = false) =>
        _recorder.RecordMethodCall(method, cost, refused, wouldBeRefused);

    /// <inheritdoc />
    public Task<UsageHistoryReport> ReadAsync(HistoryRange range, int top, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(top, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(top, HistoryReportBuilder.MaxTop);
        DateTimeOffset time = _recorder.Time.GetUtcNow();
        var builder = new HistoryReportBuilder(HistoryRecorder.MinuteOf(time), range);
        Collect();
        lock (_ringLock)
        {
            foreach (HistoryMinute? minute in _ring)
            {
                if (minute is null || !builder.Covers(minute.Minute))
                {
                    continue;
                }

                builder.AddMinute(minute.Minute, minute.Overall);
                foreach (HistoryDimension dimension in Enum.GetValues<HistoryDimension>())
                {
                    foreach ((string name, HistoryCounts counts) in minute.Names(dimension))
                    {
                        builder.AddTop(dimension, name, counts);
                    }
                }
            }
        }

        return Task.FromResult(builder.Report(time, DateTimeOffset.FromUnixTimeSeconds(builder.First * 60), top));
    }

    /// <inheritdoc />
    public Task<HistorySeries> ReadAccountAsync(string account, HistoryRange range, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(account);
        var builder = new HistoryReportBuilder(_recorder.CurrentMinute, range);
        Collect();
        lock (_ringLock)
        {
            foreach (HistoryMinute? minute in _ring)
            {
                if (minute is not null && builder.Covers(minute.Minute)
                    && account.Length > 0 && minute.Names(HistoryDimension.Account).TryGetValue(account, out HistoryCounts counts))
                {
                    builder.AddMinute(minute.Minute, counts);
                }
            }
        }

        return Task.FromResult(builder.Series());
    }

    private void Collect()
    {
        foreach (HistoryMinute minute in _recorder.TakeAll())
        {
            AddToRing(minute);
        }
    }

    private void AddToRing(HistoryMinute minute)
    {
        int slot = (int)(((minute.Minute % _ring.Length) + _ring.Length) % _ring.Length);
        lock (_ringLock)
        {
            HistoryMinute? held = _ring[slot];
            if (held is null)
            {
                held = new HistoryMinute(minute.Minute);
                _ring[slot] = held;
            }
            else if (held.Minute < minute.Minute)
            {
                held.Reset(minute.Minute);   // the minute 24 hours earlier expires
            }
            else if (held.Minute > minute.Minute)
            {
                return;   // late counts of a minute already past the retention (a clock that stepped back)
            }

            held.MergeFrom(minute, _limits);
        }
    }
}
