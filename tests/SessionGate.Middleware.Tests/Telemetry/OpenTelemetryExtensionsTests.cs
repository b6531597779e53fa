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
                // ASP.NET Core starts an unrecorded request activity when nothing instruments it, and
                // the default parent-based sampler would drop its children: sample everything here
                // (an app normally adds ASP.NET Core instrumentation, as the gateway does).
                .WithTracing(t => t.AddSessionGate().SetSampler(new AlwaysOnSampler()).AddInMemoryExporter(spans)));

        // The providers listen from the moment they are built; make sure that is before the request.
        TracerProvider tracer = gateway.App.Services.GetRequiredService<TracerProvider>();
        MeterProvider meter = gateway.App.Services.GetRequiredService<MeterProvider>();
        Assert.Equal(HttpStatusCode.OK, (await gateway.SendAsync("/limited", await gateway.HeaderAsync(nonce: 99))).StatusCode);
        Assert.True(meter.ForceFlush());
        Assert.True(tracer.ForceFlush());

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
