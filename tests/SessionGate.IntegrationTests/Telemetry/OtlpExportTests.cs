using System.Net;
using SessionGate.Crypto;
using SessionGate.IntegrationTests.Infrastructure;
using SessionGate.IntegrationTests.Proxy;
using SessionGate.Testing.Metrics;
using SessionGate.Testing.Telemetry;

namespace SessionGate.IntegrationTests.Telemetry;

/// <summary>
/// OpenTelemetry export of a real <c>sessiongate serve</c> process to a real OTLP/HTTP receiver
/// (<see cref="OtlpReceiver"/>, protobuf bodies decoded field by field): the spans of a signed
/// request (ASP.NET Core's server span, SessionGate's stages under it, the forwarded HttpClient call)
/// and the metrics (SessionGate's meter, ASP.NET Core's, the runtime's).
/// </summary>
[Collection(GatewayProcessCollection.Name)]
public sealed class OtlpExportTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);

    // Standard OTel SDK variables: export quickly so the test does not wait for the defaults (5 s / 60 s).
    private static Dictionary<string, string?> FastExport(Uri upstream)
    {
        Dictionary<string, string?> settings = ProxyGatewayFixture.Settings(upstream, RedisServer.FreeTcpPort());
        settings["OTEL_BSP_SCHEDULE_DELAY"] = "200";
        settings["OTEL_METRIC_EXPORT_INTERVAL"] = "500";
        return settings;
    }

    [Fact]
    public async Task SessionGateTelemetryOtlp_SignedRequest_SpansAndMetricsReachTheReceiver()
    {
        await using OtlpReceiver receiver = await OtlpReceiver.StartAsync();
        await using FakeUpstream upstream = await FakeUpstream.StartAsync();
        Dictionary<string, string?> settings = FastExport(upstream.Address);
        settings["SessionGate:Telemetry:Otlp"] = receiver.BaseUri.ToString();
        await using GatewayProcess gateway = await GatewayProcess.StartAsync(settings);
        Assert.Contains("exporting traces and metrics over OTLP", gateway.Process.Output, StringComparison.Ordinal);
        using Sr25519KeyPair key = TestIdentity.Key();
        using HttpClient signed = TestIdentity.SignedClient(key, gateway.Address);

        using HttpResponseMessage response = await signed.GetAsync(new Uri("/api/traced", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);

        await Eventually.HoldsAsync(
            () => Task.FromResult(
                // The server span ends (and is exported) after the response, so possibly a batch later.
                receiver.Spans.Any(l => l.Name == "sessiongate.ratelimit.acquire" && receiver.Spans.Any(s => s.Kind == 2 && s.TraceId == l.TraceId))
                && receiver.Spans.Any(s => s.Name == "sessiongate.verify")
                && receiver.Metrics.Any(m => m.Name == "sessiongate.ratelimit.requests")
                && receiver.Metrics.Any(m => m.Name == "http.server.request.duration")),
            Deadline,
            "the signed request's spans and metrics reach the OTLP receiver");
        Assert.Empty(receiver.Errors);

        // The limiter span sits in the request's trace, under ASP.NET Core's server span, beside the
        // forwarded call's HttpClient span; SessionGate's attributes are the bounded ones.
        OtlpSpan limiter = receiver.Spans.First(s => s.Name == "sessiongate.ratelimit.acquire");
        Assert.Equal("SessionGate", limiter.Scope);
        Assert.Equal("allowed", limiter.Attributes["sessiongate.ratelimit.result"]);
        Assert.Equal("free", limiter.Attributes["sessiongate.ratelimit.tier"]);
        Assert.Equal(false, limiter.Attributes["sessiongate.ratelimit.shadow"]);
        Assert.Equal(1L, limiter.Attributes["sessiongate.ratelimit.cost"]);
        Assert.Equal("account", limiter.Attributes["sessiongate.ratelimit.partition"]);
        string seen = string.Join("; ", receiver.Spans.Select(s => $"{s.Scope}/{s.Name}/kind {s.Kind}/trace {s.TraceId}/parent {s.ParentSpanId}"));
        OtlpSpan[] servers = [.. receiver.Spans.Where(s => s.Kind == 2 && s.TraceId == limiter.TraceId)];   // SPAN_KIND_SERVER
        Assert.True(servers.Length == 1, "one server span in the limiter's trace; spans: " + seen);
        OtlpSpan server = servers[0];
        Assert.StartsWith("Microsoft.AspNetCore", server.Scope, StringComparison.Ordinal);
        Assert.Equal(server.SpanId, limiter.ParentSpanId);
        Assert.Contains(receiver.Spans, s => s.Scope == "System.Net.Http" && s.TraceId == limiter.TraceId && s.Kind == 3);   // CLIENT: the call to the upstream
        OtlpSpan verify = receiver.Spans.First(s => s.Name == "sessiongate.verify");
        Assert.Equal("valid", verify.Attributes["sessiongate.verify.result"]);
        Assert.Equal("sessiongate", limiter.Resource["service.name"]);

        // Nothing identifying leaves the gateway in SessionGate's spans: no account, key or header.
        string[] secrets = [TestIdentity.Account, TestIdentity.PublicKeyHex[^64..], "kira_session"];
        foreach (OtlpSpan span in receiver.Spans.Where(s => s.Scope == "SessionGate"))
        {
            foreach (object? value in span.Attributes.Values)
            {
                Assert.DoesNotContain(secrets, secret => value?.ToString()?.Contains(secret, StringComparison.OrdinalIgnoreCase) == true);
            }
        }

        OtlpMetric decisions = receiver.Metrics.Last(m => m.Name == "sessiongate.ratelimit.requests");
        Assert.Equal("SessionGate", decisions.Scope);
        Assert.Contains(decisions.Points, p => Equals(p.Attributes["sessiongate.ratelimit.result"], "allowed") && Convert.ToInt64(p.Value, System.Globalization.CultureInfo.InvariantCulture) >= 1);
        Assert.Contains(receiver.Metrics, m => m.Name == "sessiongate.auth.results");
        await Eventually.HoldsAsync(
            () => Task.FromResult(receiver.Metrics.Any(m => m.Scope == "System.Runtime" || m.Name.StartsWith("process.runtime.dotnet.", StringComparison.Ordinal))),
            Deadline,
            "the runtime's metrics are exported");

        // The Prometheus endpoint stays beside the export.
        using HttpResponseMessage scrape = await gateway.Client.GetAsync(new Uri("/metrics", UriKind.Relative));
        Assert.True(PrometheusExposition.Parse(await scrape.Content.ReadAsStringAsync()).Has("sessiongate_ratelimit_requests_total"));
    }

    [Fact]
    public async Task StandardOtelExporterEndpoint_Alone_SwitchesExportOn()
    {
        await using OtlpReceiver receiver = await OtlpReceiver.StartAsync();
        await using FakeUpstream upstream = await FakeUpstream.StartAsync();
        Dictionary<string, string?> settings = FastExport(upstream.Address);
        settings["OTEL_EXPORTER_OTLP_ENDPOINT"] = receiver.BaseUri.ToString();
        settings["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf";
        settings["OTEL_SERVICE_NAME"] = "gateway-under-test";
        await using GatewayProcess gateway = await GatewayProcess.StartAsync(settings);

        using HttpResponseMessage response = await gateway.Client.GetAsync(new Uri("/open/x", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);

        await Eventually.HoldsAsync(
            () => Task.FromResult(receiver.Spans.Any(s => s.Name == "sessiongate.ratelimit.acquire") && receiver.Metrics.Any(m => m.Scope == "SessionGate")),
            Deadline,
            "spans and metrics reach the receiver named by OTEL_EXPORTER_OTLP_ENDPOINT");
        Assert.Empty(receiver.Errors);
        OtlpSpan limiter = receiver.Spans.First(s => s.Name == "sessiongate.ratelimit.acquire");
        Assert.Equal("address", limiter.Attributes["sessiongate.ratelimit.partition"]);
        Assert.Equal("anonymous", limiter.Attributes["sessiongate.ratelimit.tier"]);
        Assert.Equal("gateway-under-test", limiter.Resource["service.name"]);
    }
}
