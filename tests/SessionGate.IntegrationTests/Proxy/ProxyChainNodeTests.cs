using System.Net;
using SessionGate.Crypto;
using SessionGate.IntegrationTests.Infrastructure;
using SessionGate.Protocol;
using SessionGate.Testing.Nodes;

namespace SessionGate.IntegrationTests.Proxy;

/// <summary>
/// The whole production shape through real processes: the gateway process (<c>sessiongate serve</c>)
/// following a fake Tendermint node (blocks) and a fake Cosmos REST node (balances), with Redis, in
/// front of a fake upstream.
/// </summary>
[Collection(GatewayProcessCollection.Name)]
public sealed class ProxyChainNodeTests
{
    [Fact]
    public async Task Gateway_TendermintAndCosmosNodes_VerifiesNodeBlocksAndTiersByBalance()
    {
        await using RedisServer redis = await RedisServer.StartAsync();
        await using FakeTendermintNode node = await FakeTendermintNode.StartAsync(blocks: 2);
        await using FakeCosmosRestNode cosmos = await FakeCosmosRestNode.StartAsync();
        await using FakeUpstream upstream = await FakeUpstream.StartAsync();
        cosmos.SetKex(TestIdentity.Account, 1500);

        Dictionary<string, string?> settings = ProxyGatewayFixture.Settings(upstream.Address, RedisServer.FreeTcpPort());
        settings.Remove("SessionGate:RateLimiting:Tiers:0:Name");
        settings.Remove("SessionGate:RateLimiting:Tiers:0:MinBalance");
        settings.Remove("SessionGate:RateLimiting:Tiers:0:PermitsPerMinute");
        settings.Remove("SessionGate:RateLimiting:Tiers:0:Burst");
        settings["SessionGate:Redis"] = redis.Configuration;
        settings["SessionGate:RedisKeyPrefix"] = $"test-{Guid.NewGuid():N}:";
        settings["SessionGate:RedisTimeout"] = "00:00:02";
        settings["SessionGate:Chain:Mode"] = "Tendermint";
        settings["SessionGate:Chain:RpcUrl"] = node.BaseUri.ToString();
        settings["SessionGate:Chain:RestUrl"] = cosmos.BaseUri.ToString();
        settings["SessionGate:Chain:PollInterval"] = "00:00:00.200";
        await using GatewayProcess gateway = await GatewayProcess.StartAsync(settings);
        using Sr25519KeyPair key = TestIdentity.Key();

        // A header over the node's head block (known to the gateway by polling or by hash lookup).
        string header = KiraSessionHeader.Create(key, TestIdentity.Account, node.Head.Hash.ToUpperHex());
        string id = Guid.NewGuid().ToString("N");
        HttpStatusCode status = HttpStatusCode.ServiceUnavailable;
        await Eventually.HoldsAsync(
            async () =>
            {
                using var request = new HttpRequestMessage(HttpMethod.Get, new Uri($"/api/x?id={id}", UriKind.Relative));
                request.Headers.TryAddWithoutValidation("kira_session", header);
                using HttpResponseMessage response = await gateway.Client.SendAsync(request);
                status = response.StatusCode;
                return status == HttpStatusCode.OK;
            },
            TimeSpan.FromSeconds(20),
            "the gateway accepts a header over the node's block");

        ReceivedRequest received = Assert.IsType<ReceivedRequest>(upstream.Find(id));
        Assert.Equal(TestIdentity.Account, received.Header("X-SessionGate-Account"));
        Assert.Equal("holder", received.Header("X-SessionGate-Tier"));   // 1,500 KEX on the Cosmos node

        // A hash the node does not have is refused as unknown.
        using var bogus = new HttpRequestMessage(HttpMethod.Get, new Uri("/api/x", UriKind.Relative));
        bogus.Headers.TryAddWithoutValidation("kira_session", KiraSessionHeader.Create(key, TestIdentity.Account, new string('C', 64)));
        await ProblemAssert.IsProblemAsync(await gateway.Client.SendAsync(bogus), HttpStatusCode.Unauthorized, "block_unknown");
    }
}
