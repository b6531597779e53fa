using System.Net;
using SessionGate.Crypto;
using SessionGate.IntegrationTests.Infrastructure;

namespace SessionGate.IntegrationTests.Proxy;

/// <summary><c>SessionGate:Proxy:StripSessionHeader=true</c>: upstreams see the identity headers, never the session header.</summary>
[Collection(GatewayProcessCollection.Name)]
public sealed class StripSessionHeaderTests
{
    [Fact]
    public async Task SignedRequest_StripSessionHeaderOn_UpstreamGetsIdentityButNoSessionHeader()
    {
        await using FakeUpstream upstream = await FakeUpstream.StartAsync();
        Dictionary<string, string?> settings = ProxyGatewayFixture.Settings(upstream.Address, RedisServer.FreeTcpPort());
        settings["SessionGate:Proxy:StripSessionHeader"] = "true";
        await using GatewayProcess gateway = await GatewayProcess.StartAsync(settings);
        using Sr25519KeyPair key = TestIdentity.Key();
        using HttpClient client = TestIdentity.SignedClient(key, gateway.Address);
        string signedId = Guid.NewGuid().ToString("N");
        string anonymousId = Guid.NewGuid().ToString("N");

        using HttpResponseMessage signed = await client.GetAsync(new Uri($"/api/x?id={signedId}", UriKind.Relative));
        using var anonymous = new HttpRequestMessage(HttpMethod.Get, $"/open/x?id={anonymousId}");
        anonymous.Headers.TryAddWithoutValidation("kira_session", "ignored");  // malformed: refused before forwarding
        using HttpResponseMessage refused = await gateway.Client.SendAsync(anonymous);

        Assert.Equal(HttpStatusCode.OK, signed.StatusCode);
        ReceivedRequest received = Assert.IsType<ReceivedRequest>(upstream.Find(signedId));
        Assert.Equal(TestIdentity.Account, received.Header("X-SessionGate-Account"));
        Assert.Null(received.Header("kira_session"));
        Assert.Null(received.Header("kira-session"));
        await ProblemAssert.IsProblemAsync(refused, HttpStatusCode.BadRequest, "session_malformed");
        Assert.Null(upstream.Find(anonymousId));
    }

    [Fact]
    public async Task SignedRequest_DashedHeaderNameAndStripOn_UpstreamGetsNoSessionHeader()
    {
        await using FakeUpstream upstream = await FakeUpstream.StartAsync();
        Dictionary<string, string?> settings = ProxyGatewayFixture.Settings(upstream.Address, RedisServer.FreeTcpPort());
        settings["SessionGate:Proxy:StripSessionHeader"] = "true";
        await using GatewayProcess gateway = await GatewayProcess.StartAsync(settings);
        using Sr25519KeyPair key = TestIdentity.Key();
        using HttpClient signer = TestIdentity.SignedClient(key, gateway.Address);
        string id = Guid.NewGuid().ToString("N");

        // Build a valid header with the SDK, then send it under the dashed name some proxies produce.
        using var probe = new HttpRequestMessage(HttpMethod.Get, "/open/probe");
        using HttpResponseMessage _ = await signer.SendAsync(probe);
        string header = probe.Headers.GetValues("kira_session").Single();
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/x?id={id}");
        request.Headers.TryAddWithoutValidation("kira-session", header);
        using HttpResponseMessage response = await gateway.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        ReceivedRequest received = Assert.IsType<ReceivedRequest>(upstream.Find(id));
        Assert.Equal(TestIdentity.Account, received.Header("X-SessionGate-Account"));
        Assert.Null(received.Header("kira-session"));
        Assert.Null(received.Header("kira_session"));
    }
}
