using SessionGate.Diagnostics;

namespace OpenTelemetry.Metrics;

/// <summary>
/// SessionGate's metrics for OpenTelemetry:
/// <c>builder.Services.AddOpenTelemetry().WithMetrics(m => m.AddSessionGate())</c>. In OpenTelemetry's
/// own namespace, as its instrumentation packages' extensions are.
/// </summary>
public static class SessionGateMeterProviderBuilderExtensions
{
    /// <summary>
    /// Listens to the <c>SessionGate</c> meter (authentication results, verdict cache, rate-limiter
    /// decisions and requests with their shadow flag, near-limit, chain feed, balances, …; listed in
    /// docs/operations.md). The Prometheus endpoint <c>{PathPrefix}/metrics</c> keeps working beside it.
    /// </summary>
    public static MeterProviderBuilder AddSessionGate(this MeterProviderBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.AddMeter(SessionGateMeter.Name);
    }
}
