using System.Net;
using Microsoft.Extensions.Time.Testing;
using SessionGate.Client;
using SessionGate.Crypto;
using SessionGate.Protocol;

namespace SessionGate.Proxy.Tests.Client;

public sealed class KiraSessionHandlerTests : IDisposable
{
    private static readonly Uri Gateway = new("http://gateway.test:8080");
    private static readonly string Account = AccountAddress.Encode("kira", Enumerable.Repeat((byte)9, 20).ToArray());

    private readonly Sr25519KeyPair _key = Sr25519KeyPair.FromMiniSecret(Enumerable.Repeat((byte)3, 32).ToArray());
    // A day after the fake gateway's block (2030-01-01T00:00:00Z).
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2030, 1, 2, 0, 0, 0, TimeSpan.Zero));
    private readonly FakeGatewayHandler _gateway = new();
    private readonly HttpClient _client;

    public KiraSessionHandlerTests() => _client = Client(new KiraSessionClientOptions { Gateway = Gateway, TimeProvider = _time });

    public void Dispose()
    {
        _client.Dispose();
        _key.Dispose();
    }

    [Fact]
    public async Task SendAsync_FirstRequest_AttachesHeaderSignedOverLatestBlock()
    {
        using HttpResponseMessage response = await _client.GetAsync(new Uri(Gateway, "/api/a"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        string? header = Assert.Single(_gateway.Requests).Header;
        Assert.True(KiraSessionHeader.TryParse(header, "kira", out KiraSessionHeader? parsed, out string? error), error);
        Assert.Equal(_gateway.CurrentHash, parsed!.BlockHashText);
        Assert.Equal(Account, parsed.Account);
        Assert.True(parsed.VerifySignature("substrate"u8));
    }

    [Fact]
    public async Task SendAsync_WithinRefreshInterval_ReusesHeaderWithoutFetching()
    {
        await SendAsync("/a");
        _gateway.NextBlock();
        _time.Advance(TimeSpan.FromSeconds(59));
        await SendAsync("/b");

        Assert.Equal(1, _gateway.BlockFetches);
        Assert.Equal(_gateway.Requests[0].Header, _gateway.Requests[1].Header);
    }

    [Fact]
    public async Task SendAsync_AfterRefreshInterval_SignsOverNewBlock()
    {
        await SendAsync("/a");
        _gateway.NextBlock();
        _time.Advance(TimeSpan.FromSeconds(60));
        await SendAsync("/b");

        Assert.Equal(2, _gateway.BlockFetches);
        Assert.Contains(_gateway.CurrentHash, _gateway.Requests[1].Header, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SendAsync_RefreshFailsBeforeMaxHeaderAge_KeepsUsingCurrentHeader()
    {
        await SendAsync("/a");
        _gateway.BlockUnavailable = true;
        _time.Advance(TimeSpan.FromMinutes(3));

        await SendAsync("/b");

        Assert.Equal(2, _gateway.BlockFetches);
        Assert.Equal(_gateway.Requests[0].Header, _gateway.Requests[1].Header);
    }

    [Fact]
    public async Task SendAsync_RefreshFailsAfterMaxHeaderAge_ThrowsKiraSessionException()
    {
        await SendAsync("/a");
        _gateway.BlockUnavailable = true;
        _time.Advance(TimeSpan.FromMinutes(4));

        KiraSessionException error = await Assert.ThrowsAsync<KiraSessionException>(() => _client.GetAsync(new Uri(Gateway, "/b")));

        Assert.Contains("503", error.Message, StringComparison.Ordinal);
        Assert.Single(_gateway.Requests);
    }

    [Fact]
    public async Task SendAsync_ConcurrentFirstRequests_FetchOneBlock()
    {
        _gateway.BlockGate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Task<HttpResponseMessage>[] sends = [.. Enumerable.Range(0, 20).Select(i => _client.GetAsync(new Uri(Gateway, $"/n{i}")))];

        _gateway.BlockGate.SetResult();
        HttpResponseMessage[] responses = await Task.WhenAll(sends);

        Assert.Equal(1, _gateway.BlockFetches);
        Assert.Single(_gateway.Requests.Select(r => r.Header).Distinct());
        Assert.All(responses, r => r.Dispose());
    }

    [Fact]
    public async Task SendAsync_StaleWhileRefreshInFlight_OthersUseCurrentHeader()
    {
        await SendAsync("/first");
        _time.Advance(TimeSpan.FromSeconds(90));
        _gateway.BlockGate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Task<HttpResponseMessage> refreshing = _client.GetAsync(new Uri(Gateway, "/refreshing"));
        await Eventually(() => _gateway.BlockFetches == 2);

        // The refresh is held: another caller does not wait for it.
        using HttpResponseMessage other = await _client.GetAsync(new Uri(Gateway, "/other"));
        _gateway.BlockGate.SetResult();
        using HttpResponseMessage refreshed = await refreshing;

        Assert.Equal(2, _gateway.BlockFetches);
        Assert.Equal(_gateway.Requests[0].Header, _gateway.Requests.Single(r => r.Path == "/other").Header);
    }

    [Theory]
    [InlineData("block_expired")]
    [InlineData("block_unknown")]
    public async Task SendAsync_StaleBlockRefusalWithoutBody_RetriesOnceWithFreshHeader(string code)
    {
        await SendAsync("/a");
        _gateway.NextBlock();
        _gateway.NextAnswer = () => FakeGatewayHandler.Problem(HttpStatusCode.Unauthorized, code);

        using HttpResponseMessage response = await _client.GetAsync(new Uri(Gateway, "/b"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(2, _gateway.BlockFetches);
        Assert.Contains(_gateway.CurrentHash, _gateway.Requests[^1].Header, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SendAsync_StaleBlockRefusalWithBody_ReturnsRefusalAndRefreshesNextTime()
    {
        await SendAsync("/a");
        _gateway.NextBlock();
        _gateway.NextAnswer = () => FakeGatewayHandler.Problem(HttpStatusCode.Unauthorized, "block_expired");

        using HttpResponseMessage refused = await _client.PostAsync(new Uri(Gateway, "/b"), new StringContent("{}"));
        string body = await refused.Content.ReadAsStringAsync();
        await SendAsync("/c");

        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        Assert.Contains("block_expired", body, StringComparison.Ordinal);
        Assert.Equal(2, _gateway.BlockFetches);
        Assert.Contains(_gateway.CurrentHash, _gateway.Requests[^1].Header, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SendAsync_OtherRefusal_NotRetried()
    {
        await SendAsync("/a");
        _gateway.NextAnswer = () => FakeGatewayHandler.Problem(HttpStatusCode.Unauthorized, "key_unknown");

        using HttpResponseMessage response = await _client.GetAsync(new Uri(Gateway, "/b"));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal(1, _gateway.BlockFetches);
    }

    [Theory]
    [InlineData("http://other.test:8080/api")]
    [InlineData("https://gateway.test:8080/api")]
    [InlineData("http://gateway.test:8081/api")]
    public async Task SendAsync_OtherOrigin_NoHeaderAndNoFetch(string url)
    {
        using HttpResponseMessage response = await _client.GetAsync(new Uri(url));

        Assert.Null(Assert.Single(_gateway.Requests).Header);
        Assert.Equal(0, _gateway.BlockFetches);
    }

    [Fact]
    public async Task SendAsync_ClientSentHeader_ReplacedBySignedOne()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(Gateway, "/a"));
        request.Headers.TryAddWithoutValidation("kira_session", "stale");

        using HttpResponseMessage response = await _client.SendAsync(request);

        Assert.StartsWith("{\"pubkey\"", Assert.Single(_gateway.Requests).Header, StringComparison.Ordinal);
    }

    [Fact]
    public void BlockEndpoint_GatewayWithPathAndCustomPrefix_Combined()
    {
        using var handler = new KiraSessionHandler(_key, Account, new KiraSessionClientOptions { Gateway = new Uri("https://h.test/base/"), PathPrefix = "/_sg/" });

        Assert.Equal("https://h.test/base/_sg/block", handler.BlockEndpoint.ToString());
    }

    [Fact]
    public void Constructor_BadSettings_ThrowsNamingEachProblem()
    {
        var options = new KiraSessionClientOptions { Gateway = new Uri("ftp://h.test"), RefreshInterval = TimeSpan.FromMinutes(5), MaxHeaderAge = TimeSpan.FromMinutes(6) };

        ArgumentException error = Assert.Throws<ArgumentException>(() => new KiraSessionHandler(_key, Account, options));

        Assert.Contains("Gateway", error.Message, StringComparison.Ordinal);
        Assert.Contains("MaxHeaderAge must be positive and below 5 minutes", error.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => new KiraSessionHandler(_key, "not-an-account", Gateway));
    }

    private HttpClient Client(KiraSessionClientOptions options) => new(new KiraSessionHandler(_key, Account, options, _gateway));

    private async Task SendAsync(string path)
    {
        using HttpResponseMessage response = await _client.GetAsync(new Uri(Gateway, path));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    private static async Task Eventually(Func<bool> condition)
    {
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        while (!condition())
        {
            await Task.Delay(5, deadline.Token);
        }
    }
}
