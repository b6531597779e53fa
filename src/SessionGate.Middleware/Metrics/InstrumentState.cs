using System.Diagnostics.Metrics;
using System.Globalization;

namespace SessionGate.AspNetCore.Metrics;

/// <summary>How an instrument's measurements are aggregated and exposed.</summary>
internal enum MetricKind
{
    /// <summary>Monotonic sum (Counter, ObservableCounter): Prometheus <c>counter</c>, name ends in <c>_total</c>.</summary>
    Counter,

    /// <summary>A value that goes up and down (UpDownCounter, gauges): Prometheus <c>gauge</c>.</summary>
    Gauge,

    /// <summary>Distribution (Histogram): Prometheus <c>histogram</c> with cumulative buckets.</summary>
    Histogram,
}

/// <summary>
/// The series of one instrument. Series are found by their tag set (order-insensitive) in a
/// copy-on-write array, so recording takes no lock; a new tag set takes a lock once. The number of
/// series is capped: tags are meant to have few values, and a bug that tagged by account must not
/// grow memory without bound (measurements of further tag sets are dropped).
/// </summary>
internal sealed class InstrumentState
{
    /// <summary>Most series kept per instrument.</summary>
    public const int MaxSeries = 1000;

    // Prometheus's own defaults (seconds), used for histograms without bucket advice.
    private static readonly double[] DefaultBounds = [0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10];

    private readonly object _insertLock = new();
    private SeriesEntry[] _series = [];

    private InstrumentState(Instrument instrument, MetricKind kind, bool observable, bool cumulativeSet, double[] bounds)
    {
        Instrument = instrument;
        Kind = kind;
        IsObservable = observable;
        RecordsAbsoluteValues = cumulativeSet;
        Bounds = bounds;
        Name = PrometheusNames.MetricName(instrument.Name, instrument.Unit, kind);
    }

    public Instrument Instrument { get; }

    public MetricKind Kind { get; }

    /// <summary>Observable instruments report at collection time; their series are rebuilt every scrape.</summary>
    public bool IsObservable { get; }

    /// <summary>Measurements are the value itself (gauges, observable counters) rather than an increment.</summary>
    public bool RecordsAbsoluteValues { get; }

    /// <summary>Histogram bucket upper bounds (without +Inf); empty for other kinds.</summary>
    public double[] Bounds { get; }

    /// <summary>The exposed metric family name.</summary>
    public string Name { get; }

    private long _dropped;

    /// <summary>Measurements dropped because the series cap was reached.</summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    /// <summary>The state for <paramref name="instrument"/>, or null for an instrument kind this exporter does not know.</summary>
    public static InstrumentState? For(Instrument instrument)
    {
        Type type = instrument.GetType();
        if (!type.IsGenericType)
        {
            return null;
        }

        Type definition = type.GetGenericTypeDefinition();
        if (definition == typeof(Counter<>))
        {
            return new InstrumentState(instrument, MetricKind.Counter, observable: false, cumulativeSet: false, []);
        }

        if (definition == typeof(UpDownCounter<>))
        {
            return new InstrumentState(instrument, MetricKind.Gauge, observable: false, cumulativeSet: false, []);
        }

        if (definition == typeof(ObservableCounter<>))
        {
            return new InstrumentState(instrument, MetricKind.Counter, observable: true, cumulativeSet: true, []);
        }

        if (definition == typeof(ObservableUpDownCounter<>) || definition == typeof(ObservableGauge<>))
        {
            return new InstrumentState(instrument, MetricKind.Gauge, observable: true, cumulativeSet: true, []);
        }

        if (definition == typeof(Gauge<>))
        {
            return new InstrumentState(instrument, MetricKind.Gauge, observable: false, cumulativeSet: true, []);
        }

        if (definition == typeof(Histogram<>))
        {
            return new InstrumentState(instrument, MetricKind.Histogram, observable: false, cumulativeSet: false, HistogramBounds(instrument));
        }

        return null;
    }

    /// <summary>The series at this moment.</summary>
    public IReadOnlyList<MetricSeries> Series => Array.ConvertAll(Volatile.Read(ref _series), e => e.Series);

    /// <summary>Forgets every series (observable instruments, before they report again).</summary>
    public void ClearSeries()
    {
        lock (_insertLock)
        {
            Volatile.Write(ref _series, []);
        }
    }

    public void Record(double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        MetricSeries? series = Find(Volatile.Read(ref _series), tags) ?? Insert(tags);
        if (series is null)
        {
            Interlocked.Increment(ref _dropped);
            return;
        }

        switch (Kind)
        {
            case MetricKind.Histogram:
                series.Observe(value, Bounds);
                break;
            case MetricKind.Counter or MetricKind.Gauge when RecordsAbsoluteValues:
                series.Set(value);
                break;
            default:
                series.Add(value);
                break;
        }
    }

    private MetricSeries? Insert(ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        lock (_insertLock)
        {
            SeriesEntry[] current = _series;
            if (Find(current, tags) is { } existing)
            {
                return existing;
            }

            if (current.Length >= MaxSeries)
            {
                return null;
            }

            KeyValuePair<string, object?>[] raw = tags.ToArray();
            Array.Sort(raw, static (a, b) => string.CompareOrdinal(a.Key, b.Key));
            KeyValuePair<string, string>[] labels = Array.ConvertAll(raw, t => new KeyValuePair<string, string>(PrometheusNames.LabelName(t.Key), LabelValue(t.Value)));
            var entry = new SeriesEntry(raw, new MetricSeries(labels, Bounds.Length));
            Volatile.Write(ref _series, [.. current, entry]);
            return entry.Series;
        }
    }

    private static MetricSeries? Find(SeriesEntry[] entries, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        foreach (SeriesEntry entry in entries)
        {
            if (entry.Matches(tags))
            {
                return entry.Series;
            }
        }

        return null;
    }

    private static string LabelValue(object? value) => value switch
    {
        null => "",
        bool b => b ? "true" : "false",
        IFormattable formattable => formattable.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };

    private static double[] HistogramBounds(Instrument instrument)
    {
        IReadOnlyList<double>? advised = instrument switch
        {
            Histogram<double> h => h.Advice?.HistogramBucketBoundaries,
            Histogram<float> h => h.Advice?.HistogramBucketBoundaries?.Select(b => (double)b).ToArray(),
            Histogram<long> h => h.Advice?.HistogramBucketBoundaries?.Select(b => (double)b).ToArray(),
            Histogram<int> h => h.Advice?.HistogramBucketBoundaries?.Select(b => (double)b).ToArray(),
            _ => null,
        };

        double[] bounds = advised is { Count: > 0 } ? [.. advised] : DefaultBounds;
        return bounds.Where(double.IsFinite).Distinct().Order().ToArray();
    }

    private sealed class SeriesEntry(KeyValuePair<string, object?>[] tags, MetricSeries series)
    {
        public MetricSeries Series { get; } = series;

        // Few tags per instrument: a nested scan beats hashing, and needs no allocation.
        public bool Matches(ReadOnlySpan<KeyValuePair<string, object?>> other)
        {
            if (other.Length != tags.Length)
            {
                return false;
            }

            foreach (KeyValuePair<string, object?> tag in other)
            {
                bool found = false;
                foreach (KeyValuePair<string, object?> own in tags)
                {
                    if (string.Equals(own.Key, tag.Key, StringComparison.Ordinal))
                    {
                        found = Equals(own.Value, tag.Value);
                        break;
                    }
                }

                if (!found)
                {
                    return false;
                }
            }

            return true;
        }
    }
}
