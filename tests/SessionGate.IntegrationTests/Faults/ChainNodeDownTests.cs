using System.Diagnostics;
using System.Net;
using SessionGate.Chain;
using SessionGate.Crypto;
using SessionGate.IntegrationTests.Infrastructure;
using SessionGate.IntegrationTests.Proxy;
using SessionGate.Protocol;
using SessionGate.Testing.Nodes;
using Xunit.Abstractions;

namespace SessionGate.IntegrationTests.Faults;

/// <summary>
/// The chain node (a fake Tendermint RPC on real Kestrel) stops while the real gateway process follows
/// it: headers over blocks the gateway knows keep working until their window ends, hashes it already
/// knows to be unknown stay 401, and only a hash it cannot judge without the node gets 503
/// <c>chain_unavailable</c>.
/// </summary>
[Collection(FaultsCollection.Name)]
public sealed class ChainNodeDownTests(ITestOutputHelper output)
{
    // Short, so the test sees a window end; ClockSkew 0 so the end is exactly block time + Window.
    private static readonly TimeSpan Window = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task Gateway_ChainNodeDown_KnownBlocksWorkUntilTheirWindowEndsUnknownAre503()
    {
        await using FakeTendermintNode node = await FakeTendermintNode.StartAsync(blocks: 2);
        await using FakeUpstream upstream = await FakeUpstream.StartAsync();
        Dictionary<string, string?> settings = FaultRig.Gateway(upstream.Address);
        settings["SessionGate:Chain:Mode"] = "Tendermint";
        settings["SessionGate:Chain:RpcUrl"] = node.BaseUri.ToString();
        settings["SessionGate:Chain:PollInterval"] = "00:00:00.200";
        settings["SessionGate:Chain:Tendermint:RequestTimeout"] = "00:00:01";
        settings["SessionGate:Window"] = "00:00:10";
        settings["SessionGate:ClockSkew"] = "00:00:00";
        await using GatewayProcess gateway = await GatewayProcess.StartAsync(settings);
        using Sr25519KeyPair key = TestIdentity.Key();

        // A fresh block, learned by polling, so the whole window lies ahead.
        BlockInfo block = node.Produce(1)[0];
        await Eventually.HoldsAsync(async () => await FaultRig.LatestBlockHashAsync(gateway) == block.Hash.ToUpperHex(), TimeSpan.FromSeconds(10), "the gateway polls the new block");
        string cached = Header(key, block.Hash, 0);
        string knownUnknown = new('A', 64);
        Assert.Equal(HttpStatusCode.OK, (await Get(gateway, cached)).StatusCode);
        Assert.Equal("block_unknown", (await Get(gateway, Header(key, knownUnknown, 0))).Code);   // the node said "no such block"

        await node.StopAsync();
        BlockInfo unseen = node.Produce(1)[0];   // exists on the chain, but the gateway cannot learn it now

        // Known state is usable: the cached header, a new header over the known block, and a hash the
        // node already denied (negative cache) all answer as before, without the node.
        Assert.Equal(HttpStatusCode.OK, (await Get(gateway, cached)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await Get(gateway, Header(key, block.Hash, 1))).StatusCode);
        Assert.Equal("block_unknown", (await Get(gateway, Header(key, knownUnknown, 1))).Code);

        // No usable state: the gateway cannot confirm the new block, and says so.
        Answer unconfirmed = await Get(gateway, Header(key, unseen.Hash, 0));
        Assert.Equal((503, "chain_unavailable"), (unconfirmed.Status, unconfirmed.Code));

        // The known block keeps working until block time + Window, then expires (401, not 503).
        var answers = new List<(TimeSpan Age, Answer Answer)>();
        await Eventually.HoldsAsync(
            async () =>
            {
                // The age when the request left: the gateway judged it later, so an accepted answer
                // proves the window was still open then (the age on arrival includes the proxy's round trip).
                TimeSpan age = DateTimeOffset.UtcNow - block.Time;
                Answer answer = await Get(gateway, cached);
                answers.Add((age, answer));
                return answer.Code == "block_expired";
            },
            Window + TimeSpan.FromSeconds(15),
            "the header expires with its block's window");

        TimeSpan lastAccepted = answers.Where(a => a.Answer.Status == 200).Select(a => a.Age).DefaultIfEmpty().Max();
        TimeSpan firstExpired = answers.First(a => a.Answer.Code == "block_expired").Age;
        output.WriteLine(
            $"node down: unconfirmable block → {unconfirmed} in {unconfirmed.Took.TotalMilliseconds:F0} ms; known block accepted until age {lastAccepted.TotalSeconds:F2} s, " +
            $"expired from age {firstExpired.TotalSeconds:F2} s (window {Window.TotalSeconds} s); {answers.Count} polls: {FaultRig.Tally(answers.Select(a => a.Answer))}");
        Assert.All(answers, a => Assert.True(a.Answer.Status == 200 || a.Answer.Code == "block_expired", $"at age {a.Age}: {a.Answer}"));
        Assert.True(lastAccepted < Window, $"accepted at age {lastAccepted}");
        Assert.True(firstExpired >= Window - TimeSpan.FromSeconds(1), $"expired early, at age {firstExpired}");   // the window was served (1 s: clock granularity of a block time)
        Assert.True(unconfirmed.Took < TimeSpan.FromSeconds(3), $"the 503 took {unconfirmed.Took}");            // bounded by Tendermint:RequestTimeout (1 s) + margin
        await FaultRig.AssertAliveAsync(gateway);
    }

    private static string Header(Sr25519KeyPair key, Bytes32 hash, ulong nonce) => Header(key, hash.ToUpperHex(), nonce);

    private static string Header(Sr25519KeyPair key, string hash, ulong nonce) => KiraSessionHeader.Create(key, TestIdentity.Account, hash, nonce);

    private static Task<Answer> Get(GatewayProcess gateway, string header) => Answer.GetAsync(gateway.Client, "/api/chain", header);
}
