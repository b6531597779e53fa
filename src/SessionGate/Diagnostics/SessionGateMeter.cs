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

    /// <summary>
    /// The meter from <paramref name="meterFactory"/> (the host's, so each host's instruments are its own),
    /// or a new meter the caller owns and disposes when there is no factory.
    /// </summary>
    internal static Meter Create(IMeterFactory? meterFactory, out bool owned)
    {
        owned = meterFactory is null;
        return meterFactory?.Create(Name) ?? new Meter(Name);
    }
}
