using Microsoft.Extensions.Options;

namespace SessionGate.Proxy.Gateway.Hosting;

/// <summary>
/// <c>SessionGate:Telemetry</c>: OpenTelemetry export of the standalone gateway
/// (docs/operations.md#opentelemetry). Export also starts with the standard
/// <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> (or its per-signal variants) alone; the other standard
/// <c>OTEL_*</c> variables (service name, resource attributes, intervals, headers) apply either way.
/// </summary>
internal sealed class GatewayTelemetryOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "SessionGate:Telemetry";

    /// <summary>
    /// Base URL of an OTLP receiver (e.g. <c>http://otel-collector:4318</c>): traces go to
    /// <c>{Otlp}/v1/traces</c> and metrics to <c>{Otlp}/v1/metrics</c> (HTTP/protobuf), or with
    /// <see cref="Protocol"/> <c>Grpc</c> to the URL itself. Absent: no export unless the standard
    /// variable is set. Wins over <c>OTEL_EXPORTER_OTLP_ENDPOINT</c>.
    /// </summary>
    public string? Otlp { get; set; }

    /// <summary><c>HttpProtobuf</c> (default) or <c>Grpc</c>, for <see cref="Otlp"/>.</summary>
    public GatewayOtlpProtocol Protocol { get; set; } = GatewayOtlpProtocol.HttpProtobuf;

    /// <summary>The receiver's base address, when <see cref="Otlp"/> is an absolute http(s) URL.</summary>
    public Uri? Endpoint => Uri.TryCreate(Otlp, UriKind.Absolute, out Uri? uri) && uri.Scheme is "http" or "https" ? uri : null;
}

/// <summary>The OTLP transport of <see cref="GatewayTelemetryOptions.Otlp"/>.</summary>
internal enum GatewayOtlpProtocol
{
    /// <summary>OTLP/HTTP with protobuf bodies (port 4318 by convention).</summary>
    HttpProtobuf = 0,

    /// <summary>OTLP/gRPC (port 4317 by convention).</summary>
    Grpc = 1,
}

/// <summary>Start-up check of <c>SessionGate:Telemetry</c>, reported with the rest of the configuration.</summary>
internal sealed class GatewayTelemetryOptionsValidator : IValidateOptions<GatewayTelemetryOptions>
{
    public ValidateOptionsResult Validate(string? name, GatewayTelemetryOptions options)
    {
        if (!string.IsNullOrWhiteSpace(options.Otlp) && options.Endpoint is null)
        {
            return ValidateOptionsResult.Fail($"{GatewayTelemetryOptions.SectionName}:Otlp must be an absolute http or https URL of an OTLP receiver (e.g. \"http://otel-collector:4318\"), not \"{options.Otlp}\".");
        }

        return Enum.IsDefined(options.Protocol)
            ? ValidateOptionsResult.Success
            : ValidateOptionsResult.Fail($"{GatewayTelemetryOptions.SectionName}:Protocol must be HttpProtobuf or Grpc.");
    }
}
