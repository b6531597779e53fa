using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Numerics;
using Microsoft.Extensions.Options;
using SessionGate.AspNetCore.Configuration;

namespace SessionGate.AspNetCore.Metrics;

/// <summary>
/// Listens to the configured meters of this host (SessionGate's own and ASP.NET Core's) and keeps
/// running aggregates for the Prometheus endpoint (the OpenTelemetry Prometheus exporter is still a
/// beta, and the text format is small). Only meters created by this host's <see cref="IMeterFactory"/> are
/// seen, so several hosts in one process (tests) never mix their figures.
/// </summary>
internal sealed class MetricsCollector : IDisposable
{
    private readonly MeterListener _listener;
    private readonly ConcurrentDictionary<Instrument, InstrumentState> _instruments = new();
    private readonly HashSet<string> _meterNames;
    private readonly IMeterFactory? _meterFactory;
    private readonly object _collectLock = new();

    public MetricsCollector(IOptions<SessionGateOptions> options, IMeterFactory? meterFactory = null)
    {
        _meterFactory = meterFactory;
        _meterNames = new HashSet<string>(options.Value.Metrics.EffectiveMeters, StringComparer.Ordinal);
        _listener = new MeterListener
        {
            InstrumentPublished = OnInstrumentPublished,
            MeasurementsCompleted = (instrument, _) => _instruments.TryRemove(instrument, out InstrumentState? _),
        };
        _listener.SetMeasurementEventCallback<long>(OnMeasurement);
        _listener.SetMeasurementEventCallback<int>(OnMeasurement);
        _listener.SetMeasurementEventCallback<short>(OnMeasurement);
        _listener.SetMeasurementEventCallback<byte>(OnMeasurement);
        _listener.SetMeasurementEventCallback<double>(OnMeasurement);
        _listener.SetMeasurementEventCallback<float>(OnMeasurement);
        _listener.SetMeasurementEventCallback<decimal>(OnMeasurement);
        _listener.Start();
    }

    /// <summary>
    /// Collects the observable instruments and returns every instrument's state, ordered by name.
    /// Scrapes are serialised: observable series are rebuilt by each one.
    /// </summary>
    public IReadOnlyList<InstrumentState> Collect()
    {
        lock (_collectLock)
        {
            foreach (InstrumentState state in _instruments.Values)
            {
                if (state.IsObservable)
                {
                    state.ClearSeries();
                }
            }

            _listener.RecordObservableInstruments();
            return [.. _instruments.Values.OrderBy(s => s.Name, StringComparer.Ordinal)];
        }
    }

    public void Dispose() => _listener.Dispose();

    private void OnInstrumentPublished(Instrument instrument, MeterListener listener)
    {
        if (!_meterNames.Contains(instrument.Meter.Name) || (_meterFactory is not null && !ReferenceEquals(instrument.Meter.Scope, _meterFactory)))
        {
            return;
        }

        if (InstrumentState.For(instrument) is { } state && _instruments.TryAdd(instrument, state))
        {
            listener.EnableMeasurementEvents(instrument, state);
        }
    }

    private static void OnMeasurement<T>(Instrument instrument, T measurement, ReadOnlySpan<KeyValuePair<string, object?>> tags, object? state)
        where T : struct, INumberBase<T>
    {
        if (state is InstrumentState instrumentState)
        {
            instrumentState.Record(double.CreateSaturating(measurement), tags);
        }
    }
}
