using System.Net;
using System.Text.Json;
using SessionGate.Client;
using SessionGate.Crypto;
using SessionGate.IntegrationTests.Infrastructure;
using SessionGate.IntegrationTests.Proxy;
using SessionGate.Protocol;
using SessionGate.Testing.Metrics;

namespace SessionGate.IntegrationTests.Difficulty;

/// <summary>
/// The difficulty challenge (SessionGate:Difficulty) through real gateway processes: unsolved
/// headers are refused with 401 difficulty_required before any signature work, the .NET client
/// solves it, a header verified before the difficulty rose stays valid, and Auto mode raises the
/// difficulty under a burst of fresh headers and lowers it again after.
/// </summary>
[Collection(GatewayProcessCollection.Name)]
public sealed class DifficultyChallengeTests
{
    private static readonly Uri Api = new("/api/difficulty", UriKind.Relative);

    [Fact]
    public async Task Always12_UnsolvedRefusedBeforeVerification_ClientSolvesAndGets200()
    {
        await using FakeUpstream upstream = await FakeUpstream.StartAsync();
        Dictionary<string, string?> settings = ProxyGatewayFixture.Settings(upstream.Address, RedisServer.FreeTcpPort());
        settings["SessionGate:Difficulty:Mode"] = "Always";
        settings["SessionGate:Difficulty:Bits"] = "12";
        await using GatewayProcess gateway = await GatewayProcess.StartAsync(settings);
        using Sr25519KeyPair key = TestIdentity.Key();
        (string blockHash, int announced) = await LatestBlockAsync(gateway);
        Assert.Equal(12, announced);

        // 40 distinct headers, validly signed but with nonces that do not meet d = 12, and one forged.
        List<string> unsolved = [.. Nonces(key, blockHash, 12, solved: false).Take(40).Select(n => KiraSessionHeader.Create(key, TestIdentity.Account, blockHash, n))];
        string forged = Forge(unsolved[0]);
        foreach (string header in unsolved.Append(forged))
        {
            using HttpResponseMessage response = await SendAsync(gateway, header);
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
            using JsonDocument problem = await ProblemAsync(response);
            Assert.Equal("difficulty_required", problem.RootElement.GetProperty("code").GetString());
            Assert.Equal(12, problem.RootElement.GetProperty("difficulty").GetInt32());
            Assert.Equal("urn:sessiongate:problem:difficulty_required", problem.RootElement.GetProperty("type").GetString());
        }

        PrometheusExposition refusedOnly = await ScrapeAsync(gateway);
        Assert.Equal(41, refusedOnly.Sum("sessiongate_auth_difficulty_checks_total", ("sessiongate_difficulty_result", "refused")));
        Assert.Equal(0, refusedOnly.Sum("sessiongate_auth_difficulty_checks_total", ("sessiongate_difficulty_result", "admitted")));
        // Every one was a first-seen header (a verdict-cache miss) and none reached signature work:
        // a signature is only checked after the challenge admits a header.
        Assert.Equal(41, refusedOnly.Sum("sessiongate_auth_verdict_cache_lookups_total", ("sessiongate_cache_result", "miss")));
        Assert.Equal(0, refusedOnly.Sum("sessiongate_auth_results_total", ("sessiongate_auth_result", "verified")));
        Assert.Equal(12, refusedOnly.Sum("sessiongate_auth_difficulty"));

        // The .NET client reads d from /block, solves it (progress reported) and is served.
        var progress = new RecordingProgress();
        using HttpClient client = SignedClient(key, gateway.Address, progress);
        for (int i = 0; i < 3; i++)
        {
            using HttpResponseMessage ok = await client.GetAsync(Api);
            Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        }

        Assert.Contains(progress.Reports, r => r.Solved && r.Difficulty == 12);
        PrometheusExposition served = await ScrapeAsync(gateway);
        Assert.Equal(1, served.Sum("sessiongate_auth_difficulty_checks_total", ("sessiongate_difficulty_result", "admitted")));
    }

    [Fact]
    public async Task Auto_BurstOfFreshHeaders_RaisesDifficulty_VerifiedHeaderStaysValid_ThenFalls()
    {
        await using FakeUpstream upstream = await FakeUpstream.StartAsync();
        Dictionary<string, string?> settings = ProxyGatewayFixture.Settings(upstream.Address, RedisServer.FreeTcpPort());
        settings["SessionGate:Difficulty:Mode"] = "Auto";
        settings["SessionGate:Difficulty:Bits"] = "8";
        settings["SessionGate:Difficulty:FirstSeenVerificationsPerSecond"] = "5";
        settings["SessionGate:Difficulty:MeasureInterval"] = "00:00:01";
        settings["SessionGate:Difficulty:LowerAfter"] = "00:00:02";
        // The burst is many fresh headers from one address: switch the per-address verification budget off
        // so that only the difficulty controller decides.
        settings["SessionGate:ClientBlocking:VerificationsPerMinute"] = "0";
        await using GatewayProcess gateway = await GatewayProcess.StartAsync(settings);
        using Sr25519KeyPair key = TestIdentity.Key();
        (string blockHash, int before) = await LatestBlockAsync(gateway);
        Assert.Equal(0, before);

        // Verified while d = 0: the SDK keeps using this header for its refresh interval (a minute).
        using HttpClient early = TestIdentity.SignedClient(key, gateway.Address);
        Assert.Equal(HttpStatusCode.OK, (await early.GetAsync(Api)).StatusCode);

        // A burst of fresh, validly signed headers (distinct nonces) until the gateway raises d.
        ulong next = 1_000_000;
        int raised = 0;
        await Eventually.HoldsAsync(
            async () =>
            {
                await Task.WhenAll(Enumerable.Range(0, 20).Select(async _ =>
                {
                    ulong nonce = Interlocked.Increment(ref next);
                    using HttpResponseMessage r = await SendAsync(gateway, KiraSessionHeader.Create(key, TestIdentity.Account, blockHash, nonce));
                }));
                raised = (await LatestBlockAsync(gateway)).Difficulty;
                return raised > 0;
            },
            TimeSpan.FromSeconds(60),
            "the difficulty rises under a burst of first-seen headers");

        using (HttpResponseMessage stillValid = await early.GetAsync(Api))
        {
            Assert.Equal(HttpStatusCode.OK, stillValid.StatusCode);
        }

        string unsolved = KiraSessionHeader.Create(key, TestIdentity.Account, blockHash, Nonces(key, blockHash, 1, solved: false).First(n => n > 5_000_000));
        int refusedAt = 0;
        using (HttpResponseMessage refused = await SendAsync(gateway, unsolved))
        {
            // d may already have fallen on a slow machine: then the header is simply served.
            if (refused.StatusCode == HttpStatusCode.Unauthorized)
            {
                using JsonDocument problem = await ProblemAsync(refused);
                Assert.Equal("difficulty_required", problem.RootElement.GetProperty("code").GetString());
                refusedAt = problem.RootElement.GetProperty("difficulty").GetInt32();
                Assert.InRange(refusedAt, 1, 8);
            }
            else
            {
                Assert.Equal(HttpStatusCode.OK, refused.StatusCode);
            }
        }

        // Load gone: d falls back to 0 (a /block read alone lets the gateway decide), and the
        // refused header, never cached as a rejection, is now served.
        await Eventually.HoldsAsync(async () => (await LatestBlockAsync(gateway)).Difficulty == 0, TimeSpan.FromSeconds(60), "the difficulty falls when load stops");
        using (HttpResponseMessage served = await SendAsync(gateway, unsolved))
        {
            Assert.Equal(HttpStatusCode.OK, served.StatusCode);
        }

        PrometheusExposition metrics = await ScrapeAsync(gateway);
        Assert.Equal(0, metrics.Sum("sessiongate_auth_difficulty"));
        Assert.True(raised > 0 && raised <= 8, $"raised to {raised}");
    }

    // Nonces from 0 up whose hash does (or does not) meet the difficulty.
    private static IEnumerable<ulong> Nonces(Sr25519KeyPair key, string blockHash, int difficulty, bool solved)
    {
        Assert.True(Bytes32.TryParseHex(blockHash, out Bytes32 block));
        var publicKey = new Bytes32(key.PublicKey);
        for (ulong n = 0; ; n++)
        {
            if (DifficultyChallenge.Meets(publicKey, block, n, difficulty) == solved)
            {
                yield return n;
            }
        }
    }

    // Flips one hex digit of the signature: still well-formed, no longer valid.
    private static string Forge(string header)
    {
        int at = header.LastIndexOf("\"}", StringComparison.Ordinal) - 1;
        char replacement = header[at] == '0' ? '1' : '0';
        return string.Concat(header.AsSpan(0, at), replacement.ToString(), header.AsSpan(at + 1));
    }

    private static HttpClient SignedClient(Sr25519KeyPair key, Uri gateway, IProgress<DifficultyProgress> progress) =>
        new(new KiraSessionHandler(key, TestIdentity.Account, new KiraSessionClientOptions { Gateway = gateway, SolveProgress = progress, MaxSolveTime = TimeSpan.FromMinutes(1) }, new SocketsHttpHandler()))
        {
            BaseAddress = gateway,
            Timeout = TimeSpan.FromSeconds(90),
        };

    private static async Task<HttpResponseMessage> SendAsync(GatewayProcess gateway, string header)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, Api);
        request.Headers.TryAddWithoutValidation("kira_session", header);
        return await gateway.Client.SendAsync(request);
    }

    private static async Task<(string Hash, int Difficulty)> LatestBlockAsync(GatewayProcess gateway)
    {
        using HttpResponseMessage response = await gateway.Client.GetAsync(new Uri("/_sessiongate/block", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using JsonDocument block = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return (block.RootElement.GetProperty("hash").GetString()!, block.RootElement.GetProperty("difficulty").GetInt32());
    }

    private static async Task<JsonDocument> ProblemAsync(HttpResponseMessage response)
    {
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync());
    }

    private static async Task<PrometheusExposition> ScrapeAsync(GatewayProcess gateway)
    {
        using HttpResponseMessage response = await gateway.Client.GetAsync(new Uri("/metrics", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return PrometheusExposition.Parse(await response.Content.ReadAsStringAsync());
    }

    private sealed class RecordingProgress : IProgress<DifficultyProgress>
    {
        private readonly List<DifficultyProgress> _reports = [];

        public IReadOnlyList<DifficultyProgress> Reports
        {
            get
            {
                lock (_reports)
                {
                    return [.. _reports];
                }
            }
        }

        public void Report(DifficultyProgress value)
        {
            lock (_reports)
            {
                _reports.Add(value);
            }
        }
    }
}
