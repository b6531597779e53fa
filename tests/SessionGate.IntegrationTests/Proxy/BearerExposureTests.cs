using System.Net;
using SessionGate.Crypto;
using SessionGate.IntegrationTests.Infrastructure;

namespace SessionGate.IntegrationTests.Proxy;

/// <summary>
/// Issue 17 finding 5: the session header is a bearer token for up to five minutes. Upstreams do not
/// get it by default, and the .NET client never sends it to another host, not even when the gateway's
/// upstream redirects there.
/// </summary>
[Collection(GatewayProcessCollection.Name)]
public sealed class BearerExposureTests
{
    [Fact]
    public async Task SignedRequest_DefaultSettings_UpstreamGetsIdentityButNoSessionHeader()
    {
        await using FakeUpstream upstream = await FakeUpstream.StartAsync();
        Dictionary<string, string?> settings = ProxyGatewayFixture.Settings(upstream.Address, RedisServer.FreeTcpPort());
        settings.Remove("SessionGate:Proxy:StripSessionHeader");
        await using GatewayProcess gateway = await GatewayProcess.StartAsync(settings);
        using Sr25519KeyPair key = TestIdentity.Key();
        using HttpClient client = TestIdentity.SignedClient(key, gateway.Address);
        string id = Guid.NewGuid().ToString("N");

        using HttpResponseMessage response = await client.GetAsync(new Uri($"/api/x?id={id}", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        ReceivedRequest received = Assert.IsType<ReceivedRequest>(upstream.Find(id));
        Assert.Equal(TestIdentity.Account, received.Header("X-SessionGate-Account"));
        Assert.Null(received.Header("kira_session"));
    }

    [Fact]
    public async Task SignedRequest_StripSessionHeaderFalse_HeaderForwardedAsBefore()
    {
        await using FakeUpstream upstream = await FakeUpstream.StartAsync();
        Dictionary<string, string?> settings = ProxyGatewayFixture.Settings(upstream.Address, RedisServer.FreeTcpPort());
        settings["SessionGate:Proxy:StripSessionHeader"] = "false";
        await using GatewayProcess gateway = await GatewayProcess.StartAsync(settings);
        using Sr25519KeyPair key = TestIdentity.Key();
        using HttpClient client = TestIdentity.SignedClient(key, gateway.Address);
        string id = Guid.NewGuid().ToString("N");

        using HttpResponseMessage response = await client.GetAsync(new Uri($"/api/x?id={id}", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.NotNull(Assert.IsType<ReceivedRequest>(upstream.Find(id)).Header("kira_session"));
    }

    [Fact]
    public async Task ClientSdk_UpstreamRedirectsToAnotherHost_OtherHostNeverSeesTheHeader()
    {
        await using FakeUpstream upstream = await FakeUpstream.StartAsync();
        await using FakeUpstream elsewhere = await FakeUpstream.StartAsync();
        Dictionary<string, string?> settings = ProxyGatewayFixture.Settings(upstream.Address, RedisServer.FreeTcpPort());
        settings["SessionGate:Proxy:StripSessionHeader"] = "false";   // so the upstream side shows the header did arrive there
        await using GatewayProcess gateway = await GatewayProcess.StartAsync(settings);
        using Sr25519KeyPair key = TestIdentity.Key();
        using HttpClient client = TestIdentity.SignedClient(key, gateway.Address);
        string first = Guid.NewGuid().ToString("N");
        string landing = Guid.NewGuid().ToString("N");
        string back = Guid.NewGuid().ToString("N");
        string target = Uri.EscapeDataString(new Uri(elsewhere.Address, $"/landing?id={landing}").ToString());
        string home = Uri.EscapeDataString(new Uri(gateway.Address, $"/api/back?id={back}").ToString());
        string bounce = Uri.EscapeDataString(new Uri(elsewhere.Address, $"/bounce?id=b{back}&redirect_to={home}").ToString());

        // gateway (302) → other host: followed, without the header.
        using HttpResponseMessage response = await client.GetAsync(new Uri($"/api/go?id={first}&redirect_to={target}", UriKind.Relative));
        // gateway (302) → other host (302) → gateway again: only the gateway hops carry a header.
        using HttpResponseMessage roundTrip = await client.GetAsync(new Uri($"/api/go?id=r{first}&redirect_to={bounce}", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.NotNull(Assert.IsType<ReceivedRequest>(upstream.Find(first)).Header("kira_session"));
        ReceivedRequest other = Assert.IsType<ReceivedRequest>(elsewhere.Find(landing));
        Assert.Null(other.Header("kira_session"));
        Assert.Null(other.Header("kira-session"));
        Assert.Equal(HttpStatusCode.OK, roundTrip.StatusCode);
        Assert.Null(Assert.IsType<ReceivedRequest>(elsewhere.Find("b" + back)).Header("kira_session"));
        Assert.NotNull(Assert.IsType<ReceivedRequest>(upstream.Find(back)).Header("kira_session"));
        Assert.All(elsewhere.Received, r => Assert.Null(r.Header("kira_session")));
    }

    [Fact]
    public async Task OverrideHeaders_DefaultSettings_NotForwarded()
    {
        await using FakeUpstream upstream = await FakeUpstream.StartAsync();
        Dictionary<string, string?> settings = ProxyGatewayFixture.Settings(upstream.Address, RedisServer.FreeTcpPort());
        await using GatewayProcess gateway = await GatewayProcess.StartAsync(settings);
        string id = Guid.NewGuid().ToString("N");
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/open/items?id={id}");
        foreach (string name in (string[])["X-HTTP-Method-Override", "X_HTTP_Method", "x-method-override", "X-Original-URL", "X-Rewrite-URL", "X-Real-IP"])
        {
            request.Headers.TryAddWithoutValidation(name, name.Contains("IP", StringComparison.OrdinalIgnoreCase) ? "10.0.0.1" : "DELETE");
        }

        request.Headers.TryAddWithoutValidation("X-Kept", "yes");

        using HttpResponseMessage response = await gateway.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        ReceivedRequest received = Assert.IsType<ReceivedRequest>(upstream.Find(id));
        Assert.Equal("yes", received.Header("X-Kept"));
        Assert.DoesNotContain(received.Headers.Keys, name => name.Replace('_', '-').ToLowerInvariant() is
            "x-http-method-override" or "x-http-method" or "x-method-override" or "x-original-url" or "x-rewrite-url" or "x-real-ip");
    }

    [Fact]
    public async Task OverrideHeaders_ListReplaced_OnlyTheListedOnesStripped()
    {
        await using FakeUpstream upstream = await FakeUpstream.StartAsync();
        Dictionary<string, string?> settings = ProxyGatewayFixture.Settings(upstream.Address, RedisServer.FreeTcpPort());
        settings["SessionGate:Proxy:StripRequestHeaders:0"] = "X-Custom-Secret";
        await using GatewayProcess gateway = await GatewayProcess.StartAsync(settings);
        string id = Guid.NewGuid().ToString("N");
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/open/items?id={id}");
        request.Headers.TryAddWithoutValidation("X-Custom-Secret", "1");
        request.Headers.TryAddWithoutValidation("X-Real-IP", "10.0.0.1");

        using HttpResponseMessage response = await gateway.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        ReceivedRequest received = Assert.IsType<ReceivedRequest>(upstream.Find(id));
        Assert.Null(received.Header("X-Custom-Secret"));
        Assert.Equal("10.0.0.1", received.Header("X-Real-IP"));
    }
}
