using System.Diagnostics;
using System.Globalization;
using System.Net;
using SessionGate.IntegrationTests.Proxy;
using Xunit.Abstractions;

namespace SessionGate.IntegrationTests.Faults;

/// <summary>
/// Memory under abuse: many distinct headers from many distinct client addresses against the real
/// gateway process, whose resident memory (VmRSS, VmHWM from /proc) must stay under a documented bound
/// (docs/RELIABILITY.md). Every structure keyed by client input is bounded (verdict cache 100,000,
/// tracked clients 100,000, limiter partitions 100,000), so memory levels off once they are full.
/// </summary>
/// <remarks>
/// The full figures (1,000,000 headers, 100,000 addresses) take about four minutes here, too
/// long for every CI run: bench/abuse/run.sh runs this test with them. CI runs 100,000 headers from
/// 10,000 addresses, enough to fill the verdict cache to its bound, and asserts the same limit.
/// </remarks>
[Collection(FaultsCollection.Name)]
public sealed class MemoryAbuseTests(ITestOutputHelper output)
{
    /// <summary>The documented bound on the gateway's peak resident memory under this abuse, in MB (10^6 bytes).</summary>
    private const double BoundMB = 300;

    private static int Headers => Setting("SESSIONGATE_ABUSE_HEADERS", 100_000);

    private static int Clients => Setting("SESSIONGATE_ABUSE_CLIENTS", 10_000);

    [Fact]
    public async Task Gateway_DistinctHeadersFromDistinctAddresses_ResidentMemoryStaysUnderTheBound()
    {
        await using FakeUpstream upstream = await FakeUpstream.StartAsync();
        // Default settings except the generous limits of FaultRig (every anonymous request is served,
        // so each address gets a limiter partition) - blocking stays on with its defaults: ten failures
        // per address stay under its threshold of 30, so each address is tracked, none is blocked.
        await using GatewayProcess gateway = await GatewayProcess.StartAsync(FaultRig.Gateway(upstream.Address));
        string block = await FaultRig.LatestBlockHashAsync(gateway);
        string valid = FaultRig.ValidHeader(block);
        int perClient = Math.Max(1, Headers / Clients);

        // Warm up (JIT, pools) before the baseline, from one address outside the abuse range.
        using (HttpClient warm = SourceAddressClient.Create(IPAddress.Parse("127.255.255.254"), gateway.Address))
        {
            for (int i = 0; i < 200; i++)
            {
                await Answer.GetAsync(warm, "/open/warm", i % 2 == 0 ? null : AbusiveHeader(valid, -1 - i));
            }
        }

        ProcessMemory before = ProcessMemory.Read(gateway.Process.Id);
        var tally = new int[600];
        long sent = 0;
        var clock = Stopwatch.StartNew();
        await Parallel.ForEachAsync(Enumerable.Range(0, Clients), new ParallelOptions { MaxDegreeOfParallelism = 24 }, async (client, _) =>
        {
            using HttpClient http = SourceAddressClient.Create(SourceAddressClient.Address(client), gateway.Address);
            Count(tally, await Answer.GetAsync(http, "/open/anonymous"));   // a limiter partition for this address
            for (int j = 0; j < perClient; j++)
            {
                Count(tally, await Answer.GetAsync(http, "/open/abuse", AbusiveHeader(valid, (client * perClient) + j)));
            }

            Interlocked.Add(ref sent, perClient + 1);
        });
        TimeSpan took = clock.Elapsed;
        ProcessMemory after = ProcessMemory.Read(gateway.Process.Id);

        string answers = string.Join(", ", tally.Select((n, status) => (n, status)).Where(t => t.n > 0).Select(t => $"{t.status}: {t.n}"));
        long headers = (long)Clients * perClient;
        output.WriteLine(
            $"{headers:N0} distinct headers from {Clients:N0} addresses (+{Clients:N0} anonymous requests) in {took.TotalSeconds:F0} s ({sent / took.TotalSeconds:F0}/s); answers {answers}; " +
            $"RSS before {before.RssMB:F0} MB, after {after.RssMB:F0} MB, peak {after.PeakMB:F0} MB (bound {BoundMB} MB); " +
            $"growth per header {(after.RssKiB - before.RssKiB) * 1024.0 / headers:F0} B, per address {(after.RssKiB - before.RssKiB) * 1024.0 / Clients:F0} B");

        Assert.Equal(0, tally.Skip(500).Sum());
        Assert.Equal(0, tally[429]);   // no address was blocked or limited: every header was really verified
        Assert.Equal(Clients, tally[200]);
        Assert.True(after.PeakMB <= BoundMB, $"peak RSS {after.PeakMB:F0} MB > {BoundMB} MB");
        await FaultRig.AssertAliveAsync(gateway);
    }

    /// <summary>
    /// Header number <paramref name="n"/>, distinct from every other: one in ten is well-formed with a
    /// signature that does not match (a full signature check each), the rest are malformed and padded
    /// to between 0.3 and 2 KiB (the most an abuser can make the gateway hash and cache).
    /// </summary>
    private static string AbusiveHeader(string valid, long n)
    {
        string number = n.ToString(CultureInfo.InvariantCulture);
        return n % 10 == 0
            ? valid.Replace("\"nonce\":0", "\"nonce\":" + (Math.Abs(n) + 1).ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal)
            : valid.Replace("\"pubkey\":\"", "\"pubkey\":\"z" + number + new string('x', (int)(Math.Abs(n * 7919) % 1700)), StringComparison.Ordinal);
    }

    private static void Count(int[] tally, Answer answer) => Interlocked.Increment(ref tally[answer.Status]);

    private static int Setting(string name, int fallback) =>
        int.TryParse(Environment.GetEnvironmentVariable(name), CultureInfo.InvariantCulture, out int value) ? value : fallback;
}
