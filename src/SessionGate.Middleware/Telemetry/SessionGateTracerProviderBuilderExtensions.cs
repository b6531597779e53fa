using SessionGate.Diagnostics;

namespace OpenTelemetry.Trace;

/// <summary>
/// SessionGate's spans for OpenTelemetry:
/// <c>builder.Services.AddOpenTelemetry().WithTracing(t => t.AddSessionGate())</c>. In OpenTelemetry's
/// own namespace, as its instrumentation packages' extensions are.
/// </summary>
public static class SessionGateTracerProviderBuilderExtensions
{
    /// <summary>
    /// Listens to the <c>SessionGate</c> activity source: <c>sessiongate.verify</c> (a header checked
    /// on a verdict-cache miss), <c>sessiongate.balance.fetch</c>, <c>sessiongate.ratelimit.acquire</c>
    /// and <c>sessiongate.grant</c>, each with bounded attributes (never an account, key or header).
    /// Add ASP.NET Core's instrumentation too for the request spans they nest under.
    /// </summary>
    public static TracerProviderBuilder AddSessionGate(this TracerProviderBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.AddSource(SessionGateActivitySource.Name);
    }
}
