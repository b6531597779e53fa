using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using SessionGate.Chain;
using SessionGate.Testing;
using SessionGate.Testing.Nodes;

namespace SessionGate.Tests.Chain;

public sealed class TendermintBlockFeedAddressTests
{
    [Theory]
    [InlineData("http://proxy.test/rpc")]
    [InlineData("http://proxy.test/rpc/")]
    public async Task PollOnceAsync_RpcUrlWithPath_RequestsRelativeToThePath(string rpcUrl)
    {
        var node = new FakeTendermintNode();
        node.Respond = (_, _) => Task.FromResult<HttpResponseMessage?>(FakeTendermintNode.Json("{}"));
        using var httpClient = new HttpClient(node); // no BaseAddress: the feed falls back to RpcUrl
        var options = new ChainOptions { Mode = ChainMode.Tendermint, RpcUrl = rpcUrl };
        var clock = new FakeTimeProvider(TestTime.Start);
        var feed = new TendermintBlockFeed(
            httpClient, options, new InMemoryBlockStore(options.Retention, clock), clock, NullLogger<TendermintBlockFeed>.Instance);

        await feed.PollOnceAsync(CancellationToken.None);

        Assert.Equal(new Uri("http://proxy.test/rpc/status"), Assert.Single(node.Requests));
    }

    [Fact]
    public void Constructor_NoBaseAddressAndNoRpcUrl_Throws()
    {
        using var httpClient = new HttpClient();
        var options = new ChainOptions { Mode = ChainMode.Tendermint };
        var clock = new FakeTimeProvider(TestTime.Start);

        Assert.Throws<ArgumentException>(() => new TendermintBlockFeed(
            httpClient, options, new InMemoryBlockStore(options.Retention, clock), clock, NullLogger<TendermintBlockFeed>.Instance));
    }
}
