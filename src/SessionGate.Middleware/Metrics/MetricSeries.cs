namespace SessionGate.AspNetCore.Metrics;

/// <summary>
/// One time series of an instrument: a fixed tag set (sorted by name) and its aggregate. Updated
/// lock-free from the measurement callbacks of every request thread; read at scrape time.
/// </summary>
internal sealed class MetricSeries
{
    private long _sumBits;         // double, as bits, so it can be updated with Interlocked
    private long _count;
    private readonly long[]? _bucketCounts;

    public MetricSeries(KeyValuePair<string, string>[] labels, int bucketCount)
    {
        Labels = labels;
        _bucketCounts = bucketCount > 0 ? new long[bucketCount + 1] : null;   // + the +Inf bucket
    }

    /// <summary>Tag names (sanitised) and values (as text), sorted by name.</summary>
    public KeyValuePair<string, string>[] Labels { get; }

    /// <summary>Counters and up-down counters: the running total; gauges: the last value; histograms: the sum.</summary>
    public double Value => BitConverter.Int64BitsToDouble(Volatile.Read(ref _sumBits));

    /// <summary>Histograms: measurements recorded.</summary>
    public long Count => Volatile.Read(ref _count);

    /// <summary>Histograms: measurements per bucket (not cumulative), the last one being +Inf.</summary>
    public long BucketCount(int index) => Volatile.Read(ref _bucketCounts![index]);

    public void Add(double value)
    {
        long current = Volatile.Read(ref _sumBits);
        while (true)
        {
            long updated = BitConverter.DoubleToInt64Bits(BitConverter.Int64BitsToDouble(current) + value);
            long seen = Interlocked.CompareExchange(ref _sumBits, updated, current);
            if (seen == current)
            {
                return;
            }

            current = seen;
        }
    }

    public void Set(double value) => Volatile.Write(ref _sumBits, BitConverter.DoubleToInt64Bits(value));

    public void Observe(double value, double[] bounds)
    {
        // Prometheus buckets are "less than or equal": the first bound not below the value.
        int index = 0;
        while (index < bounds.Length && value > bounds[index])
        {
            index++;
        }

        Interlocked.Increment(ref _bucketCounts![index]);
        Interlocked.Increment(ref _count);
        Add(value);
    }
}
