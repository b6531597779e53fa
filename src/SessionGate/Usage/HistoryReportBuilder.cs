namespace SessionGate.Usage;

/// <summary>Sums minute counts (from this instance's ring or from Redis) into a range's series and top lists.</summary>
internal sealed class HistoryReportBuilder
{
    /// <summary>Most entries a top list may be asked for.</summary>
    public const int MaxTop = 100;

    private readonly HistoryCounts[] _minutes;
    private readonly Dictionary<string, HistoryCounts>[] _top =
        [new(StringComparer.Ordinal), new(StringComparer.Ordinal), new(StringComparer.Ordinal), new(StringComparer.Ordinal)];

    /// <summary>Aggregates the <paramref name="range"/> whose newest minute is <paramref name="lastMinute"/>.</summary>
    public HistoryReportBuilder(long lastMinute, HistoryRange range)
    {
        _minutes = new HistoryCounts[range.Minutes()];
        Range = range;
        First = lastMinute - _minutes.Length + 1;
    }

    public HistoryRange Range { get; }

    /// <summary>The range's first minute (Unix time / 60).</summary>
    public long First { get; }

    public long Last => First + _minutes.Length - 1;

    public bool Covers(long minute) => minute >= First && minute <= Last;

    public void AddMinute(long minute, in HistoryCounts counts)
    {
        if (Covers(minute))
        {
            _minutes[minute - First] += counts;
        }
    }

    public void AddTop(HistoryDimension dimension, string name, in HistoryCounts counts)
    {
        Dictionary<string, HistoryCounts> names = _top[(int)dimension];
        names[name] = names.GetValueOrDefault(name) + counts;
    }

    public HistorySeries Series() => new(DateTimeOffset.FromUnixTimeSeconds(First * 60), _minutes);

    public UsageHistoryReport Report(DateTimeOffset time, DateTimeOffset topFrom, int top) => new(
        Range,
        time,
        Series(),
        topFrom,
        TopOf(HistoryDimension.Account, top),
        TopOf(HistoryDimension.Route, top),
        TopOf(HistoryDimension.Method, top),
        TopOf(HistoryDimension.Prefix, top));

    private HistoryTopList TopOf(HistoryDimension dimension, int top)
    {
        var ranked = _top[(int)dimension]
            .Where(e => e.Key.Length > 0 && !e.Value.IsEmpty)
            .OrderByDescending(e => e.Value.Requests)
            .ThenBy(e => e.Key, StringComparer.Ordinal)
            .ToList();
        HistoryCounts other = _top[(int)dimension].GetValueOrDefault(HistoryMinute.Other);
        foreach (KeyValuePair<string, HistoryCounts> rest in ranked.Skip(top))
        {
            other += rest.Value;
        }

        return new HistoryTopList([.. ranked.Take(top).Select(e => new HistoryTopEntry(e.Key, e.Value))], other);
    }
}
