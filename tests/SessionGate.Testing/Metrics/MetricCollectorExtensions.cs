using Microsoft.Extensions.Diagnostics.Metrics.Testing;

namespace SessionGate.Testing.Metrics;

/// <summary>The two questions the tests ask a <see cref="MetricCollector{T}"/> again and again.</summary>
public static class MetricCollectorExtensions
{
    /// <summary>
    /// The counter's total so far: the sum of every measurement, or of those tagged
    /// <paramref name="tag"/> = <paramref name="value"/> when a tag is given.
    /// </summary>
    public static long Sum(this MetricCollector<long> collector, string? tag = null, object? value = null)
    {
        ArgumentNullException.ThrowIfNull(collector);
        IReadOnlyList<CollectedMeasurement<long>> measurements = collector.GetMeasurementSnapshot();
        return (tag is null ? measurements : measurements.ContainsTags(new KeyValuePair<string, object?>(tag, value))).EvaluateAsCounter();
    }

    /// <summary>Every tag key seen on the collector's instrument.</summary>
    public static IReadOnlySet<string> TagKeys(this MetricCollector<long> collector)
    {
        ArgumentNullException.ThrowIfNull(collector);
        return collector.GetMeasurementSnapshot().SelectMany(m => m.Tags.Keys).ToHashSet(StringComparer.Ordinal);
    }
}
