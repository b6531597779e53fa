using System.Collections.Concurrent;
using System.Diagnostics.Metrics;

namespace SessionGate.Tests.RateLimiting;

/// <summary>
/// Records the long counters of one <see cref="Meter"/> instance (not every "SessionGate" meter in
/// the process, so tests running in parallel cannot see each other's measurements). A hand-written
/// stand-in for Microsoft's MetricCollector, which this registry lacks.
/// </summary>
internal sealed class MetricRecorder : IDisposable
{
    private readonly MeterListener _listener = new();
    private readonly ConcurrentQueue<(string Instrument, long Value, Dictionary<string, object?> Tags)> _measurements = new();

    public MetricRecorder(Meter meter)
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (ReferenceEquals(instrument.Meter, meter))
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) =>
        {
            var copy = new Dictionary<string, object?>();
            foreach (KeyValuePair<string, object?> tag in tags)
            {
                copy[tag.Key] = tag.Value;
            }

            _measurements.Enqueue((instrument.Name, value, copy));
        });
        _listener.Start();
    }

    /// <summary>Sum of <paramref name="instrument"/> over measurements whose tag <paramref name="tag"/> equals <paramref name="value"/> (all when null).</summary>
    public long Sum(string instrument, string? tag = null, object? value = null) =>
        _measurements
            .Where(m => m.Instrument == instrument && (tag is null || (m.Tags.TryGetValue(tag, out object? v) && Equals(v, value))))
            .Sum(m => m.Value);

    /// <summary>Every tag key seen on <paramref name="instrument"/>.</summary>
    public IReadOnlySet<string> TagKeys(string instrument) =>
        _measurements.Where(m => m.Instrument == instrument).SelectMany(m => m.Tags.Keys).ToHashSet();

    public void Dispose() => _listener.Dispose();
}
