using System.Net;
using SessionGate.Client;
using SessionGate.Crypto;

namespace SessionGate.IntegrationTests.Proxy;

/// <summary>The client SDK (<see cref="KiraSessionHandler"/>) against the real gateway process.</summary>
[Collection(GatewayProcessCollection.Name)]
public sealed class ClientSdkTests
{
    private readonly ProxyGatewayFixture _fixture;

    public ClientSdkTests(ProxyGatewayFixture fixture) => _fixture = fixture;

    [Fact]
    public async Task SendAsync_FiftyConcurrentRequests_AllAcceptedWithOneBlockFetch()
    {
        using Sr25519KeyPair key = TestIdentity.Key();
        var counter = new CountingHandler(new SocketsHttpHandler());
        using HttpClient client = TestIdentity.SignedClient(key, _fixture.Gateway.Address, counter);

        HttpResponseMessage[] responses = await Task.WhenAll(Enumerable.Range(0, 50).Select(i => client.GetAsync(new Uri($"/api/n{i}", UriKind.Relative))));

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        Assert.Equal(1, counter.BlockFetches);
        foreach (HttpResponseMessage response in responses)
        {
            response.Dispose();
        }
    }

    [Fact]
    public async Task SendAsync_OtherOrigin_NoSessionHeaderAttached()
    {
        using Sr25519KeyPair key = TestIdentity.Key();
        using HttpClient client = TestIdentity.SignedClient(key, _fixture.Gateway.Address);
        string id = Guid.NewGuid().ToString("N");

        // The upstream is another origin: the header must not leak to it.
        using HttpResponseMessage response = await client.GetAsync(new Uri(_fixture.Upstream.Address, $"/direct?id={id}"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Null(Assert.IsType<ReceivedRequest>(_fixture.Upstream.Find(id)).Header("kira_session"));
    }

    private sealed class CountingHandler(HttpMessageHandler inner) : DelegatingHandler(inner)
    {
        private int _blockFetches;

        public int BlockFetches => Volatile.Read(ref _blockFetches);

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            if (request.RequestUri!.AbsolutePath == "/_sessiongate/block")
            {
                Interlocked.Increment(ref _blockFetches);
            }

            return base.SendAsync(request, cancellationToken);
        }
    }
}
