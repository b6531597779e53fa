using System.Net;
using System.Text.Json;
using SessionGate.Crypto;
using SessionGate.IntegrationTests.Infrastructure;

namespace SessionGate.IntegrationTests.Proxy;

/// <summary>The real <c>sessiongate serve</c> process in front of a fake upstream (see <see cref="ProxyGatewayFixture"/>).</summary>
[Collection(GatewayProcessCollection.Name)]
public sealed class ProxyGatewayTests
{
    private readonly ProxyGatewayFixture _fixture;

    public ProxyGatewayTests(ProxyGatewayFixture fixture) => _fixture = fixture;

    private GatewayProcess Gateway => _fixture.Gateway;

    [Fact]
    public async Task SignedRequest_ForgedIdentityHeaders_UpstreamSeesOnlyVerifiedIdentity()
    {
        using Sr25519KeyPair key = TestIdentity.Key();
        using HttpClient client = TestIdentity.SignedClient(key, Gateway.Address);
        string id = Guid.NewGuid().ToString("N");
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/orders?id={id}");
        request.Headers.TryAddWithoutValidation("X-SessionGate-Account", "kira1forged");
        request.Headers.TryAddWithoutValidation("x-sessiongate-key", "0xforged");
        request.Headers.TryAddWithoutValidation("X_SessionGate_Tier", "whale");
        request.Headers.TryAddWithoutValidation("X-SessionGate-Anything", "forged");

        using HttpResponseMessage response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        ReceivedRequest received = Assert.IsType<ReceivedRequest>(_fixture.Upstream.Find(id));
        Assert.Equal(TestIdentity.Account, received.Header("X-SessionGate-Account"));
        Assert.Equal(TestIdentity.PublicKeyHex, received.Header("X-SessionGate-Key"));
        Assert.Equal("free", received.Header("X-SessionGate-Tier"));   // the tier of a zero balance
        Assert.DoesNotContain(received.Headers.Keys, name => name.Replace('_', '-').StartsWith("X-SessionGate-", StringComparison.OrdinalIgnoreCase)
            && name is not "X-SessionGate-Account" and not "X-SessionGate-Key" and not "X-SessionGate-Tier");
        Assert.Null(received.Header("kira_session"));      // stripped by default (SessionGate:Proxy:StripSessionHeader)
    }

    [Fact]
    public async Task AnonymousRequest_OpenRouteWithForgedHeaders_ForwardedWithoutIdentity()
    {
        string id = Guid.NewGuid().ToString("N");
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/open/items?id={id}");
        request.Headers.TryAddWithoutValidation("X-SessionGate-Account", TestIdentity.Account);
        request.Headers.TryAddWithoutValidation("X_SESSIONGATE_KEY", "0x01");

        using HttpResponseMessage response = await Gateway.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        ReceivedRequest received = Assert.IsType<ReceivedRequest>(_fixture.Upstream.Find(id));
        Assert.DoesNotContain(received.Headers.Keys, name => name.Replace('_', '-').StartsWith("X-SessionGate-", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task Request_RouteWithRequireSession_Returns401WithoutHeader()
    {
        using HttpResponseMessage response = await Gateway.Client.GetAsync(new Uri("/api/orders", UriKind.Relative));

        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.Unauthorized, "session_required");
    }

    [Fact]
    public async Task AuthorizationPolicyRoute_SessionGateSession_RequiresASessionAndForwardsTheIdentity()
    {
        using HttpResponseMessage anonymous = await Gateway.Client.GetAsync(new Uri("/policy/x", UriKind.Relative));
        await ProblemAssert.IsProblemAsync(anonymous, HttpStatusCode.Unauthorized, "session_required");

        using Sr25519KeyPair key = TestIdentity.Key();
        using HttpClient client = TestIdentity.SignedClient(key, Gateway.Address);
        string id = Guid.NewGuid().ToString("N");
        using HttpResponseMessage signed = await client.GetAsync(new Uri($"/policy/x?id={id}", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, signed.StatusCode);
        ReceivedRequest received = Assert.IsType<ReceivedRequest>(_fixture.Upstream.Find(id));
        Assert.Equal(TestIdentity.Account, received.Header("X-SessionGate-Account"));
        Assert.Equal("free", received.Header("X-SessionGate-Tier"));
    }

    [Fact]
    public async Task RateLimiterPolicy_DefaultPerAccount_DisableOptsARouteOut()
    {
        using HttpResponseMessage limited = await Gateway.Client.GetAsync(new Uri("/open/x", UriKind.Relative));
        using HttpResponseMessage unlimited = await Gateway.Client.GetAsync(new Uri("/unlimited/x", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, limited.StatusCode);
        Assert.StartsWith("\"anonymous\";r=", limited.Headers.GetValues("RateLimit").Single(), StringComparison.Ordinal);
        Assert.Contains(";q=10000;w=6", limited.Headers.GetValues("RateLimit-Policy").Single(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, unlimited.StatusCode);
        Assert.False(unlimited.Headers.Contains("RateLimit"));
    }

    [Fact]
    public async Task Request_DisabledRoute_Returns403EvenWithValidSession()
    {
        using Sr25519KeyPair key = TestIdentity.Key();
        using HttpClient client = TestIdentity.SignedClient(key, Gateway.Address);
        string id = Guid.NewGuid().ToString("N");

        using HttpResponseMessage response = await client.GetAsync(new Uri($"/off/x?id={id}", UriKind.Relative));

        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.Forbidden, "route_disabled");
        Assert.Null(_fixture.Upstream.Find(id));
    }

    [Fact]
    public async Task Request_RouteWithCost_IsForwarded()
    {
        using Sr25519KeyPair key = TestIdentity.Key();
        using HttpClient client = TestIdentity.SignedClient(key, Gateway.Address);

        using HttpResponseMessage response = await client.GetAsync(new Uri("/costly/report", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Request_UpstreamDown_Returns502ProblemDetails()
    {
        using HttpResponseMessage response = await Gateway.Client.GetAsync(new Uri("/down/x", UriKind.Relative));

        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.BadGateway, "upstream_error");
    }

    [Fact]
    public async Task Request_UpstreamTooSlow_Returns504ProblemDetails()
    {
        using HttpResponseMessage response = await Gateway.Client.GetAsync(new Uri("/slow/x", UriKind.Relative));

        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.GatewayTimeout, "upstream_timeout");
    }

    [Fact]
    public async Task Healthz_ProcessUp_Returns200()
    {
        using HttpResponseMessage response = await Gateway.Client.GetAsync(new Uri("/healthz", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Healthy", JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("status").GetString());
    }

    [Fact]
    public async Task Readyz_DevChainWithoutRedis_ReportsChainAndRedisHealthy()
    {
        JsonElement checks = default;
        await Eventually.HoldsAsync(
            async () =>
            {
                using HttpResponseMessage response = await Gateway.Client.GetAsync(new Uri("/readyz", UriKind.Relative));
                checks = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("checks").Clone();
                return response.StatusCode == HttpStatusCode.OK;
            },
            TimeSpan.FromSeconds(30),
            "the gateway becomes ready once the dev chain has produced a block");

        Assert.Equal("Healthy", checks.GetProperty("chain").GetProperty("status").GetString());
        Assert.Equal("Healthy", checks.GetProperty("redis").GetProperty("status").GetString());
    }

    [Fact]
    public async Task HealthEndpoints_MalformedSessionHeader_StillAnswered()
    {
        // Outside SessionGate: a broken header cannot make a load balancer think the gateway is down.
        using var request = new HttpRequestMessage(HttpMethod.Get, "/healthz");
        request.Headers.TryAddWithoutValidation("kira_session", "not json");

        using HttpResponseMessage response = await Gateway.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Block_GatewayEndpoint_ServedBySessionGate()
    {
        string body = "";
        await Eventually.HoldsAsync(
            async () =>
            {
                using HttpResponseMessage response = await Gateway.Client.GetAsync(new Uri("/_sessiongate/block", UriKind.Relative));
                body = await response.Content.ReadAsStringAsync();
                return response.StatusCode == HttpStatusCode.OK;
            },
            TimeSpan.FromSeconds(30),
            "the dev chain has a block");

        Assert.Equal(64, JsonDocument.Parse(body).RootElement.GetProperty("hash").GetString()!.Length);
    }
}
