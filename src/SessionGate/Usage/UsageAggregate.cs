namespace SessionGate.Usage;

/// <summary>Sums per-second counts (from this instance or from Redis) into a <see cref="UsageSnapshot"/>.</summary>
internal sealed class UsageAggregate
{
    private readonly long _first;
    private readonly long[] _overallPerSecond = new long[UsageWindow.Seconds];
    private readonly Dictionary<string, Series> _accounts = new(StringComparer.Ordinal);
    private long _requests;
    private long _rejected;
    private long _shadowRejected;

    /// <summary>Aggregates the window whose newest second is <paramref name="lastSecond"/>.</summary>
    public UsageAggregate(long lastSecond) => _first = lastSecond - UsageWindow.Seconds + 1;

    /// <summary>The seconds of the window, oldest first.</summary>
    public IEnumerable<long> Seconds => Enumerable.Range(0, UsageWindow.Seconds).Select(i => _first + i);

    public bool Covers(long second) => second >= _first && second < _first + UsageWindow.Seconds;

    public void AddOverall(long second, long requests, long rejected, long shadowRejected = 0)
    {
        if (!Covers(second))
        {
            return;
        }

        _overallPerSecond[second - _first] += requests;
        _requests += requests;
        _rejected += rejected;
        _shadowRejected += shadowRejected;
    }

    public void AddAccount(string account, long second, long requests, long rejected, long shadowRejected = 0)
    {
        if (!Covers(second))
        {
            return;
        }

        if (!_accounts.TryGetValue(account, out Series? series))
        {
            series = new Series();
            _accounts.Add(account, series);
        }

        series.PerSecond[second - _first] += requests;
        series.Requests += requests;
        series.Rejected += rejected;
        series.ShadowRejected += shadowRejected;
    }

    public UsageSnapshot ToSnapshot(DateTimeOffset time) => new(
        time,
        new UsageSeries(_requests, _rejected, _overallPerSecond) { ShadowRejected = _shadowRejected },
        _accounts.ToDictionary(
            a => a.Key,
            a => new UsageSeries(a.Value.Requests, a.Value.Rejected, a.Value.PerSecond) { ShadowRejected = a.Value.ShadowRejected },
            StringComparer.Ordinal));

    private sealed class Series
    {
        public long[] PerSecond { get; } = new long[UsageWindow.Seconds];

        public long Requests { get; set; }

        public long Rejected { get; set; }

        public long ShadowRejected { get; set; }
    }
}
