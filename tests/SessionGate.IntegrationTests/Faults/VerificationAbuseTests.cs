using System.Net;
using SessionGate.Chain;
using SessionGate.Crypto;
using SessionGate.IntegrationTests.Infrastructure;
using SessionGate.IntegrationTests.Proxy;
using SessionGate.Protocol;
using SessionGate.Testing.Metrics;
using SessionGate.Testing.Nodes;
using SessionGate.Testing.Protocol;
using Xunit.Abstractions;

namespace SessionGate.IntegrationTests.Faults;

/// <summary>
/// Issue 17 findings 1 and 2 against the real gateway process: re-spelling one signed header buys no
/// signature checks; a sender of fresh headers (here an unregistered key while the chain node is down)
/// costs at most its verification budget and gets blocked; and an address blocked for junk still
/// serves the verified sessions behind it.
/// </summary>
[Collection(FaultsCollection.Name)]
public sealed class VerificationAbuseTests(ITestOutputHelper output)
{
    private const string Misses = "sessiongate_auth_verdict_cache_lookups_total";
    private const string SignatureChecks = "sessiongate_auth_signature_checks_total";

    [Fact]
    public async Task Gateway_TenThousandRespellingsOfOneHeader_CostAtMostOneSignatureVerification()
    {
        await using FakeUpstream upstream = await FakeUpstream.StartAsync();
        await using GatewayProcess gateway = await GatewayProcess.StartAsync(FaultRig.Gateway(upstream.Address));
        string header = FaultRig.ValidHeader(await FaultRig.LatestBlockHashAsync(gateway));
        PrometheusExposition before = await ScrapeAsync(gateway);

        var answers = new Answer[10_000];
        int next = -1;
        await Task.WhenAll(Enumerable.Range(0, 16).Select(_ => Task.Run(async () =>
        {
            for (int i = Interlocked.Increment(ref next); i < answers.Length; i = Interlocked.Increment(ref next))
            {
                answers[i] = await Answer.GetAsync(gateway.Client, "/unlimited/respelled", HeaderRespellings.Respell(header, i));
            }
        })));
        PrometheusExposition after = await ScrapeAsync(gateway);

        double misses = Delta(before, after, Misses, ("sessiongate_cache_result", "miss"));
        double hits = Delta(before, after, Misses, ("sessiongate_cache_result", "hit"));
        double checks = Delta(before, after, SignatureChecks);
        output.WriteLine($"10,000 re-spellings of one header: {FaultRig.Tally(answers)}; verdict-cache misses {misses}, hits {hits}, signature checks {checks}");
        Assert.All(answers, a => Assert.Equal(HttpStatusCode.OK, a.StatusCode));
        Assert.True(misses <= 1, $"{misses} verdict-cache misses");
        Assert.True(checks <= 1, $"{checks} signature checks");
        Assert.True(hits >= 9_999, $"{hits} hits");
    }

    [Fact]
    public async Task Gateway_ChainNodeDownUnregisteredKeyFreshHeaders_CostAtMostTheBudgetAndGetBlocked()
    {
        const int Budget = 20;
        await using FakeTendermintNode node = await FakeTendermintNode.StartAsync(blocks: 2);
        await using FakeUpstream upstream = await FakeUpstream.StartAsync();
        Dictionary<string, string?> settings = FaultRig.Gateway(upstream.Address);
        settings["SessionGate:Chain:Mode"] = "Tendermint";
        settings["SessionGate:Chain:RpcUrl"] = node.BaseUri.ToString();
        settings["SessionGate:Chain:PollInterval"] = "00:00:00.200";
        settings["SessionGate:Chain:Tendermint:RequestTimeout"] = "00:00:00.500";
        settings["SessionGate:ClientBlocking:VerificationsPerMinute"] = Budget.ToString(System.Globalization.CultureInfo.InvariantCulture);
        await using GatewayProcess gateway = await GatewayProcess.StartAsync(settings);
        await node.StopAsync();
        BlockInfo unseen = node.Produce(1)[0];   // the gateway cannot learn it: every fresh header is chain_unavailable

        using Sr25519KeyPair stranger = Sr25519KeyPair.FromMiniSecret(Enumerable.Repeat((byte)0x42, 32).ToArray());
        using HttpClient attacker = SourceAddressClient.Create(IPAddress.Parse("127.42.0.1"), gateway.Address);
        PrometheusExposition before = await ScrapeAsync(gateway);
        var answers = new List<Answer>();
        for (ulong nonce = 0; nonce < 300; nonce++)
        {
            answers.Add(await Answer.GetAsync(attacker, "/api/x", KiraSessionHeader.Create(stranger, TestIdentity.Account, unseen.Hash.ToUpperHex(), nonce)));
        }

        PrometheusExposition after = await ScrapeAsync(gateway);
        double checks = Delta(before, after, SignatureChecks);
        output.WriteLine($"300 fresh headers of an unregistered key, chain node down, budget {Budget}/min: {FaultRig.Tally(answers)}; signature checks {checks}");
        // The budget is per UTC minute and the run may straddle one minute's end: at most two budgets.
        Assert.True(checks <= 2 * Budget, $"{checks} signature checks, budget {Budget} a minute");
        Assert.All(answers, a => Assert.Contains(a.Code, new[] { "chain_unavailable", "verification_budget_exceeded", "ip_blocked" }));
        Assert.Contains(answers, a => a.Code == "verification_budget_exceeded");
        Assert.Equal("ip_blocked", answers[^1].Code);   // every refused miss counted: the sender is blocked
        await FaultRig.AssertAliveAsync(gateway);
    }

    [Fact]
    public async Task Gateway_AddressBlockedForJunk_VerifiedSessionBehindItKeepsGetting200()
    {
        await using FakeUpstream upstream = await FakeUpstream.StartAsync();
        Dictionary<string, string?> settings = FaultRig.Gateway(upstream.Address);
        settings["SessionGate:ClientBlocking:FailureThreshold"] = "5";
        await using GatewayProcess gateway = await GatewayProcess.StartAsync(settings);
        string block = await FaultRig.LatestBlockHashAsync(gateway);
        string session = FaultRig.ValidHeader(block);
        using HttpClient shared = SourceAddressClient.Create(IPAddress.Parse("127.50.0.1"), gateway.Address);   // one NAT address

        Assert.Equal(HttpStatusCode.OK, (await Answer.GetAsync(shared, "/api/before", session)).StatusCode);
        for (int i = 0; i < 5; i++)
        {
            Assert.Equal("session_malformed", (await Answer.GetAsync(shared, "/api/junk", "{junk" + i)).Code);
        }

        var sessionAnswers = new List<Answer>();
        for (int i = 0; i < 20; i++)
        {
            Assert.Equal("ip_blocked", (await Answer.GetAsync(shared, "/api/junk", "{junk")).Code);
            Assert.Equal("ip_blocked", (await Answer.GetAsync(shared, "/open/anonymous")).Code);
            sessionAnswers.Add(await Answer.GetAsync(shared, "/api/session", session));
        }

        // A user behind the same address signing a new header is verified too (within the address's budget).
        Answer fresh = await Answer.GetAsync(shared, "/api/fresh", FaultRig.ValidHeader(block, nonce: 99));
        output.WriteLine($"blocked address: verified session {FaultRig.Tally(sessionAnswers)}; a fresh header {fresh}");
        Assert.All(sessionAnswers, a => Assert.Equal(HttpStatusCode.OK, a.StatusCode));
        Assert.Equal(HttpStatusCode.OK, fresh.StatusCode);
    }

    private static double Delta(PrometheusExposition before, PrometheusExposition after, string name, params (string, string)[] labels) =>
        after.Sum(name, labels) - before.Sum(name, labels);

    private static async Task<PrometheusExposition> ScrapeAsync(GatewayProcess gateway)
    {
        using HttpResponseMessage response = await gateway.Client.GetAsync(new Uri("/_sessiongate/metrics", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return PrometheusExposition.Parse(await response.Content.ReadAsStringAsync());
    }
}
