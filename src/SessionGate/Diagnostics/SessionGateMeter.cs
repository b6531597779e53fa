using System.Diagnostics.Metrics;

namespace SessionGate.Diagnostics;

/// <summary>
/// The <c>SessionGate</c> meter every SessionGate instrument lives on. Tags have a handful of values
/// each: never an account, key or address (unbounded cardinality, and they identify users).
/// </summary>
public static class SessionGateMeter
{
    /// <summary>The meter's name: listen to it (OpenTelemetry, dotnet-counters) or scrape <c>/metrics</c>.</summary>
    public const string Name = "SessionGate";
}

/// <summary>
/// The <c>SessionGate</c> meter for one set of instruments: the host's (from its
/// <see cref="IMeterFactory"/>, so each host's instruments are its own, and the host disposes it), or
/// without a factory a meter of its own, disposed with this handle.
/// </summary>
internal sealed class SessionGateMeterHandle : IDisposable
{
    private readonly bool _owned;

    public SessionGateMeterHandle(IMeterFactory? meterFactory)
    {
        _owned = meterFactory is null;
        Meter = meterFactory?.Create(SessionGateMeter.Name) ?? new Meter(SessionGateMeter.Name);
    }

    /// <summary>The meter to create instruments on.</summary>
    public Meter Meter { get; }

    /// <inheritdoc />
    public void Dispose()
    {
        if (_owned)
        {
            Meter.Dispose();
        }
    }
}
