using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Text;
using SessionGate.Crypto;
using SessionGate.IntegrationTests.Proxy;
using SessionGate.Protocol;
using SessionGate.Testing.Protocol;
using Xunit.Abstractions;

namespace SessionGate.IntegrationTests.Faults;

/// <summary>
/// 100,000 mutated and random <c>kira_session</c> headers (<see cref="HeaderMutator"/>) sent over HTTP to the
/// real gateway process: no 5xx, no crash, every answer documented in docs/protocol.md.
/// </summary>
[Collection(FaultsCollection.Name)]
public sealed class HeaderFuzzTests(ITestOutputHelper output)
{
    private const int Seed = 20261121;

    /// <summary>SESSIONGATE_FUZZ_COUNT overrides the count (e.g. a longer soak); the figure is the default.</summary>
    private static int Count => int.TryParse(Environment.GetEnvironmentVariable("SESSIONGATE_FUZZ_COUNT"), CultureInfo.InvariantCulture, out int n) ? n : 100_000;

    [Fact]
    public async Task Gateway_100kMutatedHeaders_NoServerErrorNoCrashOnlyDocumentedAnswers()
    {
        await using FakeUpstream upstream = await FakeUpstream.StartAsync();
        Dictionary<string, string?> settings = FaultRig.Gateway(upstream.Address);
        // Every request comes from 127.0.0.1: with blocking on, the 30th failure would block the address
        // and the other ~99,970 headers would only ever see 429 ip_blocked, never the parser or the
        // verifier. Blocking itself is tested in Blocking/ and Gateway/SharedRedisGatewayTests.
        settings["SessionGate:ClientBlocking:Enabled"] = "false";
        // Likewise the verification budget: past 120 first-seen headers a minute every signed mutant
        // would be refused unverified. Both defences get their own classes below.
        settings["SessionGate:ClientBlocking:VerificationsPerMinute"] = "0";
        await using GatewayProcess gateway = await GatewayProcess.StartAsync(settings);
        string block = await FaultRig.LatestBlockHashAsync(gateway);
        // Well-formed, correctly signed seeds: the registered key over the current block (200), over a
        // block nobody knows (block_unknown), and an unregistered key (key_unknown). Mutants of these
        // reach every check, and an unchanged seed shows the checks behind the signature still answer.
        using Sr25519KeyPair stranger = Sr25519KeyPair.FromMiniSecret(Enumerable.Repeat((byte)0x77, 32).ToArray());
        string[] valid =
        [
            .. Enumerable.Range(0, 6).Select(n => FaultRig.ValidHeader(block, (ulong)n)),
            FaultRig.ValidHeader(new string('D', 64), 1),
            KiraSessionHeader.Create(stranger, TestIdentity.Account, block, 2),
        ];
        var mutator = new HeaderMutator(valid, Seed);

        // Header bytes go out exactly as generated (Latin-1 maps chars 0-255 to bytes 0-255), including
        // invalid UTF-8 and bytes above 0x7F, which HttpClient refuses with its default ASCII encoding.
        using var client = new HttpClient(new SocketsHttpHandler
        {
            RequestHeaderEncodingSelector = (_, _) => Encoding.Latin1,
            MaxConnectionsPerServer = 16,
        })
        {
            BaseAddress = gateway.Address,
            Timeout = TimeSpan.FromSeconds(30),
        };

        var answers = new Answer[Count];
        var undocumented = new ConcurrentQueue<string>();
        int next = -1;
        var clock = System.Diagnostics.Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, 16).Select(_ => Task.Run(async () =>
        {
            for (int i = Interlocked.Increment(ref next); i < answers.Length; i = Interlocked.Increment(ref next))
            {
                byte[] header = mutator.Create(i);
                using var request = new HttpRequestMessage(HttpMethod.Get, new Uri("/api/fuzz", UriKind.Relative));
                request.Headers.TryAddWithoutValidation("kira_session", HeaderMutator.ToWireString(header));
                answers[i] = await Answer.SendAsync(client, request);
                if (!DocumentedAnswers.IsDocumented(answers[i]))
                {
                    undocumented.Enqueue($"#{i} {HeaderMutator.ClassOf(i)} → {answers[i]}: {HeaderMutator.Describe(header)}");
                }
            }
        })));
        TimeSpan took = clock.Elapsed;

        output.WriteLine($"{answers.Length} headers in {took.TotalSeconds:F1} s ({answers.Length / took.TotalSeconds:F0}/s); answers: {FaultRig.Tally(answers)}");
        foreach (IGrouping<Mutation, int> mutation in Enumerable.Range(0, answers.Length).GroupBy(HeaderMutator.ClassOf))
        {
            output.WriteLine($"  {mutation.Key}: {FaultRig.Tally(mutation.Select(i => answers[i]))}");
        }

        Assert.True(undocumented.IsEmpty, $"{undocumented.Count} undocumented answers, e.g.:\n{string.Join('\n', undocumented.Take(10))}");
        Assert.Equal(0, answers.Count(a => a.IsServerError));
        await FaultRig.AssertAliveAsync(gateway);

        // The mutants really reached the parser, the signature check and the block feed (not one short cut).
        Assert.Contains(answers, a => a.Code == "session_malformed");
        Assert.Contains(answers, a => a.Code == "signature_invalid");
        Assert.Contains(answers, a => a.Code == "block_unknown");
        Assert.Contains(answers, a => a.Code == "key_unknown");
        Assert.Contains(answers, a => a.StatusCode == HttpStatusCode.OK);
        Assert.All(
            Enumerable.Range(0, answers.Length).Where(i => HeaderMutator.ClassOf(i) == Mutation.Unchanged).Select(i => answers[i]),
            a => Assert.True(a.StatusCode == HttpStatusCode.OK || a.Code is "block_unknown" or "key_unknown", $"an unchanged seed got {a}"));
    }

    /// <summary>
    /// The abuse classes of issue 17, with blocking and the verification budget on, each from its own
    /// address: re-spellings of one signed header, fresh signed headers past the budget, and junk from
    /// an address whose verified session keeps working while the address is blocked.
    /// </summary>
    [Fact]
    public async Task Gateway_AbuseClasses_NoServerErrorOnlyDocumentedAnswers()
    {
        const int Budget = 50;
        await using FakeUpstream upstream = await FakeUpstream.StartAsync();
        Dictionary<string, string?> settings = FaultRig.Gateway(upstream.Address);
        settings["SessionGate:ClientBlocking:VerificationsPerMinute"] = Budget.ToString(CultureInfo.InvariantCulture);
        await using GatewayProcess gateway = await GatewayProcess.StartAsync(settings);
        string block = await FaultRig.LatestBlockHashAsync(gateway);
        string session = FaultRig.ValidHeader(block);
        using Sr25519KeyPair key = TestIdentity.Key();
        var mutator = new HeaderMutator([session], Seed);

        using HttpClient respeller = SourceAddressClient.Create(System.Net.IPAddress.Parse("127.60.0.1"), gateway.Address);
        using HttpClient fresh = SourceAddressClient.Create(System.Net.IPAddress.Parse("127.60.0.2"), gateway.Address);
        using HttpClient shared = SourceAddressClient.Create(System.Net.IPAddress.Parse("127.60.0.3"), gateway.Address, Encoding.Latin1);
        var respelled = new List<Answer>();
        var overBudget = new List<Answer>();
        var junk = new List<Answer>();
        var sessionBehindBlock = new List<Answer>();
        for (int i = 0; i < 5_000; i++)
        {
            respelled.Add(await Answer.GetAsync(respeller, "/api/fuzz", HeaderRespellings.Respell(session, i)));
        }

        for (ulong nonce = 1; nonce <= 500; nonce++)
        {
            overBudget.Add(await Answer.GetAsync(fresh, "/api/fuzz", KiraSessionHeader.Create(key, TestIdentity.Account, block, nonce)));
        }

        for (int i = 0; i < 2_000; i++)
        {
            junk.Add(await Answer.GetAsync(shared, "/api/fuzz", HeaderMutator.ToWireString(mutator.Create(i)).Replace("\u007f", "", StringComparison.Ordinal)));
            if (i % 10 == 0)
            {
                sessionBehindBlock.Add(await Answer.GetAsync(shared, "/api/fuzz", session));
            }
        }

        output.WriteLine($"re-spellings (5,000): {FaultRig.Tally(respelled)}");
        output.WriteLine($"fresh headers past a budget of {Budget}/min (500): {FaultRig.Tally(overBudget)}");
        output.WriteLine($"junk mutants from one address (2,000): {FaultRig.Tally(junk)}");
        output.WriteLine($"verified session from that address meanwhile (200): {FaultRig.Tally(sessionBehindBlock)}");
        Answer[] all = [.. respelled, .. overBudget, .. junk, .. sessionBehindBlock];
        Assert.All(all, a => Assert.True(DocumentedAnswers.IsDocumented(a), $"undocumented answer {a}"));
        Assert.Equal(0, all.Count(a => a.IsServerError));
        Assert.All(respelled, a => Assert.Equal(System.Net.HttpStatusCode.OK, a.StatusCode));
        // The budget is per UTC minute and the run may straddle one minute's end: at most two budgets.
        Assert.InRange(overBudget.Count(a => a.Status == 200), Budget, 2 * Budget);
        Assert.All(overBudget, a => Assert.True(a.Status == 200 || a.Code is "verification_budget_exceeded" or "ip_blocked", $"fresh header got {a}"));
        Assert.Contains(overBudget, a => a.Code == "ip_blocked");
        Assert.Contains(junk, a => a.Code == "ip_blocked");
        Assert.All(sessionBehindBlock, a => Assert.Equal(System.Net.HttpStatusCode.OK, a.StatusCode));
        await FaultRig.AssertAliveAsync(gateway);
    }

    [Fact]
    public async Task Gateway_SessionHeaderWithInvalidUtf8_Returns400SessionMalformedProblem()
    {
        // Kestrel alone refuses invalid UTF-8 in a header with a bare 400 before any middleware runs;
        // the gateway decodes its session headers as Latin-1 so SessionGate answers (and counts the failure).
        await using FakeUpstream upstream = await FakeUpstream.StartAsync();
        await using GatewayProcess gateway = await GatewayProcess.StartAsync(FaultRig.Gateway(upstream.Address));
        using var client = new HttpClient(new SocketsHttpHandler { RequestHeaderEncodingSelector = (_, _) => Encoding.Latin1 }) { BaseAddress = gateway.Address };
        string valid = FaultRig.ValidHeader(await FaultRig.LatestBlockHashAsync(gateway));

        foreach (string name in new[] { "kira_session", "kira-session" })
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, new Uri("/api/utf8", UriKind.Relative));
            // Sent as the bytes FF C0 AF: never valid UTF-8.
            request.Headers.TryAddWithoutValidation(name, valid.Insert(12, "\u00ff\u00c0\u00af"));
            using HttpResponseMessage response = await client.SendAsync(request);
            await ProblemAssert.IsProblemAsync(response, HttpStatusCode.BadRequest, "session_malformed");
        }
    }
}
