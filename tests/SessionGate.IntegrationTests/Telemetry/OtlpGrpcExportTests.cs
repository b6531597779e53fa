using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using SessionGate.Crypto;
using SessionGate.Protocol;
using SessionGate.IntegrationTests.Infrastructure;
using SessionGate.IntegrationTests.Proxy;
using SessionGate.Testing.Grants;
using SessionGate.Testing.Telemetry;

namespace SessionGate.IntegrationTests.Telemetry;

/// <summary>
/// OTLP over gRPC from a real <c>sessiongate serve</c> process to a real OTLP/gRPC receiver
/// (<see cref="OtlpGrpcReceiver"/>: HTTP/2 with prior knowledge, gRPC frames decoded field by field),
/// switched on by <c>SessionGate:Telemetry:Protocol</c> <c>Grpc</c> or by the standard
/// <c>OTEL_EXPORTER_OTLP_PROTOCOL=grpc</c>: the spans of a signed request and of a wallet-signed grant
/// (<c>sessiongate.grant</c>, posted through the gateway) and SessionGate's metrics arrive.
/// </summary>
[Collection(GatewayProcessCollection.Name)]
public sealed class OtlpGrpcExportTests
{
    private const string Domain = "app.example.org";

    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task OtlpGrpc_SignedRequestAndGrant_SpansAndMetricsReachTheGrpcReceiver(bool standardVariables)
    {
        await using OtlpGrpcReceiver receiver = await OtlpGrpcReceiver.StartAsync();
        await using FakeUpstream upstream = await FakeUpstream.StartAsync();
        Dictionary<string, string?> settings = ProxyGatewayFixture.Settings(upstream.Address, RedisServer.FreeTcpPort());
        settings["OTEL_BSP_SCHEDULE_DELAY"] = "200";
        settings["OTEL_METRIC_EXPORT_INTERVAL"] = "500";
        settings["SessionGate:Grants:Domain"] = Domain;
        if (standardVariables)
        {
            settings["OTEL_EXPORTER_OTLP_ENDPOINT"] = receiver.BaseUri.ToString();
            settings["OTEL_EXPORTER_OTLP_PROTOCOL"] = "grpc";
        }
        else
        {
            settings["SessionGate:Telemetry:Otlp"] = receiver.BaseUri.ToString();
            settings["SessionGate:Telemetry:Protocol"] = "Grpc";
        }

        await using GatewayProcess gateway = await GatewayProcess.StartAsync(settings);
        using Sr25519KeyPair key = TestIdentity.Key();
        using HttpClient signed = TestIdentity.SignedClient(key, gateway.Address);
        using (HttpResponseMessage response = await signed.GetAsync(new Uri("/api/traced", UriKind.Relative)))
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        // A real grant: a wallet's ADR-036 signature over the grant message, for a fresh session key.
        using JsonDocument block = JsonDocument.Parse(await gateway.Client.GetStringAsync(new Uri("/_sessiongate/block", UriKind.Relative)));
        string chainId = block.RootElement.GetProperty("chain_id").GetString()!;
        var wallet = new TestWallet("otlp grpc " + standardVariables);
        using Sr25519KeyPair sessionKey = Sr25519KeyPair.Generate();
        DateTimeOffset now = DateTimeOffset.UtcNow;
        using (var content = new StringContent(wallet.Body(wallet.Grant(Domain, HexCodec.Encode(sessionKey.PublicKey), chainId, now, now.AddDays(1))), Encoding.UTF8))
        {
            content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
            using HttpResponseMessage granted = await gateway.Client.PostAsync(new Uri("/_sessiongate/grants", UriKind.Relative), content);
            Assert.Equal(HttpStatusCode.Created, granted.StatusCode);
        }

        await Eventually.HoldsAsync(
            () => Task.FromResult(
                receiver.Spans.Any(s => s.Name == "sessiongate.ratelimit.acquire")
                && receiver.Spans.Any(s => s.Name == "sessiongate.verify")
                && receiver.Spans.Any(s => s.Name == "sessiongate.grant")
                && receiver.Metrics.Any(m => m.Name == "sessiongate.ratelimit.requests")),
            Deadline,
            "the spans and metrics reach the gRPC receiver; calls: " + string.Join("; ", receiver.Requests) + "; errors: " + string.Join("; ", receiver.Errors));
        Assert.Empty(receiver.Errors);
        Assert.All(receiver.Requests, r => Assert.StartsWith("HTTP/2", r, StringComparison.Ordinal));
        Assert.Contains(receiver.Requests, r => r.Contains(OtlpGrpcReceiver.TracesPath, StringComparison.Ordinal));
        Assert.Contains(receiver.Requests, r => r.Contains(OtlpGrpcReceiver.MetricsPath, StringComparison.Ordinal));

        OtlpSpan limiter = receiver.Spans.First(s => s.Name == "sessiongate.ratelimit.acquire");
        Assert.Equal("SessionGate", limiter.Scope);
        Assert.Equal("allowed", limiter.Attributes["sessiongate.ratelimit.result"]);
        Assert.Equal("sessiongate", limiter.Resource["service.name"]);

        // The grant span: its kind and the answer's status, nothing identifying (no account, key or message).
        OtlpSpan grant = receiver.Spans.First(s => s.Name == "sessiongate.grant");
        Assert.Equal("SessionGate", grant.Scope);
        Assert.Equal("grant", grant.Attributes["sessiongate.grant.kind"]);
        Assert.Equal(201L, grant.Attributes["sessiongate.grant.status"]);
        string[] secrets = [wallet.Account, HexCodec.Encode(sessionKey.PublicKey)[^64..], Domain];
        Assert.All(grant.Attributes.Values, value => Assert.DoesNotContain(secrets, secret => value?.ToString()?.Contains(secret, StringComparison.OrdinalIgnoreCase) == true));
        Assert.Contains(receiver.Spans, s => s.Kind == 2 && s.TraceId == grant.TraceId && s.SpanId == grant.ParentSpanId);   // under ASP.NET Core's server span
    }
}
