using SessionGate.Crypto;
using SessionGate.IntegrationTests.Infrastructure;
using SessionGate.Protocol;
using SessionGate.Testing.Nodes;

namespace SessionGate.IntegrationTests.Gateway;

/// <summary>The middleware in Tendermint mode against a fake node served by real Kestrel.</summary>
public sealed class TendermintGatewayTests
{
    [Fact]
    public async Task Gateway_TendermintMode_AcceptsNodeBlocksAndDegradesWhenTheNodeIsDown()
    {
        await using FakeTendermintNode node = await FakeTendermintNode.StartAsync(blocks: 3);
        await using GatewayApp gateway = await GatewayApp.StartAsync(new()
        {
            ["SessionGate:Chain:Mode"] = "Tendermint",
            ["SessionGate:Chain:RpcUrl"] = node.BaseUri.ToString(),
            ["SessionGate:Chain:PollInterval"] = "00:00:00.200",
        });
        using Sr25519KeyPair key = GatewayApp.Key();

        // The gateway's /block follows the node.
        await Eventually.HoldsAsync(
            async () =>
            {
                // 503 chain_unavailable until the first poll of the node completes.
                using HttpResponseMessage response = await gateway.Client.GetAsync("/_sessiongate/block");
                return (await response.Content.ReadAsStringAsync()).Contains(node.Head.Hash.ToUpperHex(), StringComparison.Ordinal);
            },
            TimeSpan.FromSeconds(10),
            "the gateway reports the node's head block");

        string onHead = KiraSessionHeader.Create(key, GatewayApp.Account, node.Head.Hash.ToUpperHex());
        Assert.Equal((200, null), await gateway.GetPrivateAsync(onHead));

        // A block the feed never polled is looked up by hash on the node.
        string onOlder = KiraSessionHeader.Create(key, GatewayApp.Account, node[1].Hash.ToUpperHex().ToLowerInvariant());
        Assert.Equal((200, null), await gateway.GetPrivateAsync(onOlder));

        string onBogus = KiraSessionHeader.Create(key, GatewayApp.Account, new string('E', 64));
        Assert.Equal((401, "block_unknown"), await gateway.GetPrivateAsync(onBogus));

        await node.StopAsync();

        // Headers on known blocks keep working; a block that cannot be confirmed is 503.
        Assert.Equal((200, null), await gateway.GetPrivateAsync(onHead));
        string onUnconfirmable = KiraSessionHeader.Create(key, GatewayApp.Account, new string('F', 64));
        Assert.Equal((503, "chain_unavailable"), await gateway.GetPrivateAsync(onUnconfirmable));
    }
}
