using System.Diagnostics;
using System.Net;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace SessionGate.Middleware.Tests.Telemetry;

/// <summary>
/// A library user's wiring: <c>AddOpenTelemetry().WithMetrics(m => m.AddSessionGate())
/// .WithTracing(t => t.AddSessionGate())</c> beside <c>AddSessionGate()</c>, exported in memory.
/// </summary>
public sealed class OpenTelemetryExtensionsTests
{
    [Fact]
    public async Task AddSessionGate_OnBothProviders_ExportsSessionGateSpansAndMetrics()
    {
        var spans = new List<Activity>();
        var metrics = new List<Metric>();
        await using TestGateway gateway = await TestGateway.StartAsync(
            new()
            {
                ["SessionGate:RateLimiting:Tiers:0:Name"] = "otel-tier",
                ["SessionGate:RateLimiting:Tiers:0:MinBalance"] = "0",
                ["SessionGate:RateLimiting:Tiers:0:PermitsPerMinute"] = "60",
                ["SessionGate:RateLimiting:Tiers:0:Burst"] = "10",
            },
            services: services => services.AddOpenTelemetry()
                .WithMetrics(m => m.AddSessionGate().AddInMemoryExporter(metrics))
                .WithTracing(t => t.AddSessionGate().AddInMemoryExporter(spans)));

        Assert.Equal(HttpStatusCode.OK, (await gateway.SendAsync("/limited", await gateway.HeaderAsync(nonce: 99))).StatusCode);
        Assert.True(gateway.App.Services.GetRequiredService<MeterProvider>().ForceFlush());
        Assert.True(gateway.App.Services.GetRequiredService<TracerProvider>().ForceFlush());

        Assert.Contains(spans, s => s.Source.Name == "SessionGate" && s.OperationName == "sessiongate.ratelimit.acquire" && Equals(s.GetTagItem("sessiongate.ratelimit.tier"), "otel-tier"));
        Assert.Contains(metrics, m => m.MeterName == "SessionGate" && m.Name == "sessiongate.ratelimit.requests");
        Assert.Contains(metrics, m => m.MeterName == "SessionGate" && m.Name == "sessiongate.auth.results");
    }

    [Fact]
    public void AddSessionGate_NullBuilder_Throws()
    {
        Assert.Throws<ArgumentNullException>(() => SessionGateMeterProviderBuilderExtensions.AddSessionGate(null!));
        Assert.Throws<ArgumentNullException>(() => SessionGateTracerProviderBuilderExtensions.AddSessionGate(null!));
    }
}
