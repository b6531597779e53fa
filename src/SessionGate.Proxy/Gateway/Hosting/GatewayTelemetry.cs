using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using OpenTelemetry.Exporter;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using SessionGate.AspNetCore.Endpoints;

namespace SessionGate.Proxy.Gateway.Hosting;

/// <summary>
/// OTLP export of the gateway's traces and metrics, switched on by <c>SessionGate:Telemetry:Otlp</c>
/// or the standard <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> (also <c>…_TRACES_ENDPOINT</c> /
/// <c>…_METRICS_ENDPOINT</c>): SessionGate's spans and meter (<c>AddSessionGate()</c>), ASP.NET Core's
/// and HttpClient's (the forwarded call to the upstream, the chain and balance calls) and the .NET
/// runtime's. Without either, no OpenTelemetry SDK is registered at all (nothing listens, nothing
/// costs). The Prometheus <c>/metrics</c> endpoint is independent and stays.
/// </summary>
internal static class GatewayTelemetry
{
    private static readonly string[] StandardEndpointVariables =
        ["OTEL_EXPORTER_OTLP_ENDPOINT", "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", "OTEL_EXPORTER_OTLP_METRICS_ENDPOINT"];

    /// <summary>True when the configuration asks for export (what <see cref="AddGatewayTelemetry"/> checks).</summary>
    public static bool IsEnabled(IConfiguration configuration, out Uri? endpoint, out GatewayOtlpProtocol protocol)
    {
        GatewayTelemetryOptions options = configuration.GetSection(GatewayTelemetryOptions.SectionName).Get<GatewayTelemetryOptions>() ?? new();
        endpoint = options.Endpoint;
        protocol = options.Protocol;
        return endpoint is not null || StandardEndpointVariables.Any(v => !string.IsNullOrWhiteSpace(configuration[v]));
    }

    public static void AddGatewayTelemetry(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<GatewayTelemetryOptions>().BindConfiguration(GatewayTelemetryOptions.SectionName);
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<GatewayTelemetryOptions>, GatewayTelemetryOptionsValidator>());
        if (!IsEnabled(configuration, out Uri? endpoint, out GatewayOtlpProtocol protocol))
        {
            return;
        }

        // OTEL_SERVICE_NAME and OTEL_RESOURCE_ATTRIBUTES (read by the default resource) win over these defaults.
        string serviceName = string.IsNullOrWhiteSpace(configuration["OTEL_SERVICE_NAME"]) ? "sessiongate" : configuration["OTEL_SERVICE_NAME"]!;
        services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService(serviceName, serviceVersion: SessionGateVersion.Current))
            .WithTracing(tracing => tracing
                .AddSessionGate()
                .AddAspNetCoreInstrumentation()
                .AddHttpClientInstrumentation()
                .AddOtlpExporter(otlp => Configure(otlp, endpoint, protocol, "v1/traces")))
            .WithMetrics(metrics => metrics
                .AddSessionGate()
                .AddAspNetCoreInstrumentation()
                .AddHttpClientInstrumentation()
                .AddRuntimeInstrumentation()
                .AddOtlpExporter(otlp => Configure(otlp, endpoint, protocol, "v1/metrics")));
    }

    // SessionGate:Telemetry:Otlp is a base URL, like OTEL_EXPORTER_OTLP_ENDPOINT: with HTTP/protobuf
    // each signal goes to its path under it (set in code, the exporter takes the endpoint as given).
    // Without the setting the exporter reads the standard variables itself.
    private static void Configure(OtlpExporterOptions otlp, Uri? endpoint, GatewayOtlpProtocol protocol, string signalPath)
    {
        if (endpoint is null)
        {
            return;
        }

        if (protocol == GatewayOtlpProtocol.Grpc)
        {
            otlp.Protocol = OtlpExportProtocol.Grpc;
            otlp.Endpoint = endpoint;
            return;
        }

        otlp.Protocol = OtlpExportProtocol.HttpProtobuf;
        string path = endpoint.AbsolutePath.EndsWith('/') ? endpoint.AbsolutePath : endpoint.AbsolutePath + "/";
        otlp.Endpoint = new UriBuilder(endpoint) { Path = path + signalPath }.Uri;
    }
}
