using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using SessionGate.Client;
using SessionGate.Crypto;
using SessionGate.Protocol;
using SessionGate.IntegrationTests.Infrastructure;
using SessionGate.IntegrationTests.Proxy;
using SessionGate.Testing.Grants;
using SessionGate.Testing.Nodes;
using Xunit.Abstractions;

namespace SessionGate.IntegrationTests.Grants;

/// <summary>
/// Grants through real gateway processes: the chain id learned from a Tendermint node (and a node that
/// changes network), a pin the node contradicts at start-up, and two instances on one Redis.
/// </summary>
[Collection(GatewayProcessCollection.Name)]
public sealed class GrantChainAndSharedRedisTests(ITestOutputHelper output)
{
    private const string Domain = "app.example.org";

    [Fact]
    public async Task Tendermint_ChainIdIsTheNodesNetwork_AndANodeThatChangesNetworkIsNotReadyAndRefusesGrants()
    {
        await using FakeTendermintNode node = await FakeTendermintNode.StartAsync(blocks: 2);
        node.Network = "kira-local-7";
        await using FakeUpstream upstream = await FakeUpstream.StartAsync();
        Dictionary<string, string?> settings = TendermintSettings(upstream, node);
        await using GatewayProcess gateway = await GatewayProcess.StartAsync(settings);

        Assert.Equal("kira-local-7", await ChainIdAsync(gateway));
        var wallet = new TestWallet("tendermint chain id");
        DateTimeOffset now = DateTimeOffset.UtcNow;
        Assert.Equal((400, "grant_wrong_chain"), await GrantAsync(gateway, wallet.Body(wallet.Grant(Domain, NewKeyHex(), "sessiongate-dev", now, now.AddDays(1)))));
        Assert.Equal((201, null), await GrantAsync(gateway, wallet.Body(wallet.Grant(Domain, NewKeyHex(), "kira-local-7", now, now.AddDays(1)))));
        Assert.Equal(HttpStatusCode.OK, (await ReadyAsync(gateway)).Status);

        // The node now reports another network (repointed, or a load balancer switched nodes).
        node.Network = "evil-net-1";
        (HttpStatusCode Status, string Body) ready = default;
        await Eventually.HoldsAsync(async () => (ready = await ReadyAsync(gateway)).Status == HttpStatusCode.ServiceUnavailable, TimeSpan.FromSeconds(20), "/readyz reports the network change");
        Assert.DoesNotContain("evil-net-1", ready.Body, StringComparison.Ordinal);
        Assert.Contains("another network", ready.Body, StringComparison.Ordinal);
        Assert.Equal((503, "chain_unavailable"), await GrantAsync(gateway, wallet.Body(wallet.Grant(Domain, NewKeyHex(), "kira-local-7", now, now.AddDays(1)))));
        Assert.Equal((503, "chain_unavailable"), await GrantAsync(gateway, wallet.Body(wallet.Grant(Domain, NewKeyHex(), "evil-net-1", now, now.AddDays(1)))));
        Assert.Null(await ChainIdAsync(gateway));
        Assert.Contains("The chain node reports network evil-net-1, not kira-local-7", gateway.Process.Output, StringComparison.Ordinal);

        // Back on the chain: ready again, grants accepted.
        node.Network = "kira-local-7";
        node.Produce(1);
        await Eventually.HoldsAsync(async () => (await ReadyAsync(gateway)).Status == HttpStatusCode.OK, TimeSpan.FromSeconds(20), "/readyz ready again");
        Assert.Equal((201, null), await GrantAsync(gateway, wallet.Body(wallet.Grant(Domain, NewKeyHex(), "kira-local-7", now, now.AddDays(1)))));
    }

    [Fact]
    public async Task Tendermint_PinnedChainIdTheNodeContradicts_IsAStartUpErrorNamingBoth()
    {
        await using FakeTendermintNode node = await FakeTendermintNode.StartAsync(blocks: 2);
        await using FakeUpstream upstream = await FakeUpstream.StartAsync();
        Dictionary<string, string?> settings = TendermintSettings(upstream, node);
        settings["SessionGate:Chain:ChainId"] = "kira-1";

        await using ChildProcess process = ChildProcess.StartSessionGate(["serve", "--urls", "http://127.0.0.1:0"], GatewayProcess.Environment(settings));
        int exitCode = await process.WaitForExitAsync(TimeSpan.FromSeconds(60));

        Assert.NotEqual(0, exitCode);
        Assert.Contains($"SessionGate:Chain:ChainId is \"kira-1\" but the Tendermint node at SessionGate:Chain:RpcUrl reports network \"{TendermintSamples.DefaultNetwork}\"", process.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Tendermint_PinnedChainIdTheNodeConfirms_Starts_AndGrantsNameIt()
    {
        await using FakeTendermintNode node = await FakeTendermintNode.StartAsync(blocks: 2);
        await using FakeUpstream upstream = await FakeUpstream.StartAsync();
        Dictionary<string, string?> settings = TendermintSettings(upstream, node);
        settings["SessionGate:Chain:ChainId"] = TendermintSamples.DefaultNetwork;
        await using GatewayProcess gateway = await GatewayProcess.StartAsync(settings);

        Assert.Equal(TendermintSamples.DefaultNetwork, await ChainIdAsync(gateway));
        var wallet = new TestWallet("pinned chain id");
        DateTimeOffset now = DateTimeOffset.UtcNow;
        Assert.Equal((201, null), await GrantAsync(gateway, wallet.Body(wallet.Grant(Domain, NewKeyHex(), TendermintSamples.DefaultNetwork, now, now.AddDays(1)))));
    }

    [Fact]
    public async Task TwoGatewaysOnOneRedis_AGrantMadeOnOne_IsHonouredByTheOtherWithinOneSecond()
    {
        await using RedisServer redis = await RedisServer.StartAsync();
        await using FakeUpstream upstream = await FakeUpstream.StartAsync();
        Dictionary<string, string?> settings = ProxyGatewayFixture.Settings(upstream.Address, RedisServer.FreeTcpPort());
        settings["SessionGate:Grants:Domain"] = Domain;
        settings["SessionGate:Redis"] = redis.Configuration;
        settings["SessionGate:RedisKeyPrefix"] = $"grants-{Guid.NewGuid():N}:";
        settings["SessionGate:RedisTimeout"] = "00:00:02";
        await using GatewayProcess a = await GatewayProcess.StartAsync(settings);
        await using GatewayProcess b = await GatewayProcess.StartAsync(settings);
        string chainId = (await ChainIdAsync(a))!;
        Assert.Equal(chainId, await ChainIdAsync(b));
        var wallet = new TestWallet("two instances");
        using Sr25519KeyPair key = Sr25519KeyPair.Generate();
        using var onB = new HttpClient(new KiraSessionHandler(key, wallet.Account, new KiraSessionClientOptions { Gateway = b.Address }, new SocketsHttpHandler()))
        {
            BaseAddress = b.Address,
            Timeout = TimeSpan.FromSeconds(30),
        };

        // B has seen the key as unknown (and remembers that in its negative cache).
        Assert.Equal(HttpStatusCode.Unauthorized, await StatusAsync(onB, "/api/before"));

        DateTimeOffset now = DateTimeOffset.UtcNow;
        Assert.Equal((201, null), await GrantAsync(a, wallet.Body(wallet.Grant(Domain, HexCodec.Encode(key.PublicKey), chainId, now, now.AddDays(1)))));
        TimeSpan elapsed = await Eventually.HoldsAsync(
            async () => await StatusAsync(onB, "/api/after") == HttpStatusCode.OK,
            TimeSpan.FromSeconds(5),
            "instance B honours the key granted on A");
        output.WriteLine($"grant on A honoured by B after {elapsed.TotalMilliseconds:0} ms");
        Assert.True(elapsed < TimeSpan.FromSeconds(1), $"took {elapsed}");

        // And a self-revocation on B is honoured by A.
        using var onA = new HttpClient(new KiraSessionHandler(key, wallet.Account, new KiraSessionClientOptions { Gateway = a.Address }, new SocketsHttpHandler()))
        {
            BaseAddress = a.Address,
            Timeout = TimeSpan.FromSeconds(30),
        };
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(onA, "/api/a"));
        using (HttpResponseMessage deleted = await onB.DeleteAsync(new Uri("/_sessiongate/session", UriKind.Relative)))
        {
            Assert.Equal(HttpStatusCode.OK, deleted.StatusCode);
        }

        await Eventually.HoldsAsync(async () => await StatusAsync(onA, "/api/a2") == HttpStatusCode.Unauthorized, TimeSpan.FromSeconds(5), "instance A refuses the revoked key");
    }

    [Fact]
    public async Task TwoGatewaysOnOneRedis_ThirtyConcurrentGrantsOfOneAccountWithLimitTen_ExactlyTenSucceed()
    {
        await using RedisServer redis = await RedisServer.StartAsync();
        await using FakeUpstream upstream = await FakeUpstream.StartAsync();
        Dictionary<string, string?> settings = ProxyGatewayFixture.Settings(upstream.Address, RedisServer.FreeTcpPort());
        settings["SessionGate:Grants:Domain"] = Domain;
        settings["SessionGate:Grants:MaxKeysPerAccount"] = "10";
        settings["SessionGate:Redis"] = redis.Configuration;
        settings["SessionGate:RedisKeyPrefix"] = $"grants-{Guid.NewGuid():N}:";
        settings["SessionGate:RedisTimeout"] = "00:00:02";
        await using GatewayProcess a = await GatewayProcess.StartAsync(settings);
        await using GatewayProcess b = await GatewayProcess.StartAsync(settings);
        string chainId = (await ChainIdAsync(a))!;
        var wallet = new TestWallet("concurrent on redis");
        DateTimeOffset now = DateTimeOffset.UtcNow;
        string[] bodies = [.. Enumerable.Range(0, 30).Select(_ => wallet.Body(wallet.Grant(Domain, NewKeyHex(), chainId, now, now.AddDays(1))))];

        (int Status, string? Code)[] answers = await Task.WhenAll(bodies.Select((body, i) => GrantAsync(i % 2 == 0 ? a : b, body)));

        Assert.Equal(10, answers.Count(x => x.Status == 201));
        Assert.Equal(20, answers.Count(x => x == (409, "too_many_keys")));
    }

    private static Dictionary<string, string?> TendermintSettings(FakeUpstream upstream, FakeTendermintNode node)
    {
        Dictionary<string, string?> settings = ProxyGatewayFixture.Settings(upstream.Address, RedisServer.FreeTcpPort());
        settings["SessionGate:Grants:Domain"] = Domain;
        settings["SessionGate:Chain:Mode"] = "Tendermint";
        settings["SessionGate:Chain:RpcUrl"] = node.BaseUri.ToString();
        settings["SessionGate:Chain:PollInterval"] = "00:00:00.200";
        return settings;
    }

    private static async Task<string?> ChainIdAsync(GatewayProcess gateway)
    {
        using JsonDocument block = JsonDocument.Parse(await gateway.Client.GetStringAsync(new Uri("/_sessiongate/block", UriKind.Relative)));
        return block.RootElement.GetProperty("chain_id").GetString();
    }

    private static async Task<(HttpStatusCode Status, string Body)> ReadyAsync(GatewayProcess gateway)
    {
        using HttpResponseMessage response = await gateway.Client.GetAsync(new Uri("/readyz", UriKind.Relative));
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    private static async Task<(int Status, string? Code)> GrantAsync(GatewayProcess gateway, string body)
    {
        using var content = new StringContent(body, Encoding.UTF8);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        using HttpResponseMessage response = await gateway.Client.PostAsync(new Uri("/_sessiongate/grants", UriKind.Relative), content);
        using JsonDocument json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        string? code = json.RootElement.TryGetProperty("code", out JsonElement element) ? element.GetString() : null;
        return ((int)response.StatusCode, code);
    }

    private static async Task<HttpStatusCode> StatusAsync(HttpClient client, string path)
    {
        using HttpResponseMessage response = await client.GetAsync(new Uri(path, UriKind.Relative));
        return response.StatusCode;
    }

    private static string NewKeyHex()
    {
        using Sr25519KeyPair key = Sr25519KeyPair.Generate();
        return HexCodec.Encode(key.PublicKey);
    }
}
