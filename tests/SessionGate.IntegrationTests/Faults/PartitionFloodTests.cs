using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using SessionGate.IntegrationTests.Proxy;
using Xunit.Abstractions;

namespace SessionGate.IntegrationTests.Faults;

/// <summary>
/// Issue 17 finding 3 against the real gateway process (in-memory limiter, default
/// <c>MaxLocalPartitions</c> of 100,000): a flood of 200,000 new client addresses must not make the
/// limiter forget an exhausted account, whose daily budget stays spent (<c>r=0</c>, 429).
/// </summary>
[Collection(FaultsCollection.Name)]
public sealed partial class PartitionFloodTests(ITestOutputHelper output)
{
    private static int Addresses => int.TryParse(Environment.GetEnvironmentVariable("SESSIONGATE_FLOOD_ADDRESSES"), CultureInfo.InvariantCulture, out int n) ? n : 200_000;

    [Fact]
    public async Task Gateway_FloodOf200kNewAddresses_LeavesAnExhaustedAccountExhausted()
    {
        await using FakeUpstream upstream = await FakeUpstream.StartAsync();
        Dictionary<string, string?> settings = FaultRig.Gateway(upstream.Address);
        settings["SessionGate:RateLimiting:Tiers:0:DailyQuota"] = "30";
        await using GatewayProcess gateway = await GatewayProcess.StartAsync(settings);
        string header = FaultRig.ValidHeader(await FaultRig.LatestBlockHashAsync(gateway));

        for (int i = 0; i < 30; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await Answer.GetAsync(gateway.Client, "/api/spend", header)).StatusCode);
        }

        (Answer exhausted, long? dailyBefore) = await AccountAsync(gateway, header);
        Assert.Equal("quota_exhausted", exhausted.Code);
        Assert.Equal(0, dailyBefore);

        ProcessMemory memoryBefore = ProcessMemory.Read(gateway.Process.Id);
        var tally = new int[600];
        var clock = Stopwatch.StartNew();
        await Parallel.ForEachAsync(Enumerable.Range(0, Addresses), new ParallelOptions { MaxDegreeOfParallelism = 32 }, async (n, ct) =>
        {
            int status = await RawHttp.GetStatusAsync(SourceAddressClient.Address(n), gateway.Address, "/open/flood", ct);
            Interlocked.Increment(ref tally[Math.Max(0, status)]);
        });
        TimeSpan took = clock.Elapsed;
        ProcessMemory memoryAfter = ProcessMemory.Read(gateway.Process.Id);

        (Answer after, long? dailyAfter) = await AccountAsync(gateway, header);
        string answers = string.Join(", ", tally.Select((count, status) => (count, status)).Where(t => t.count > 0).Select(t => $"{t.status}: {t.count}"));
        output.WriteLine(
            $"{Addresses:N0} new addresses in {took.TotalSeconds:F0} s ({Addresses / took.TotalSeconds:F0}/s): {answers}; exhausted account before {exhausted} r={dailyBefore}, after {after} r={dailyAfter}; " +
            $"RSS before {memoryBefore.RssMB:F0} MB, after {memoryAfter.RssMB:F0} MB, peak {memoryAfter.PeakMB:F0} MB");

        Assert.Equal("quota_exhausted", after.Code);
        Assert.Equal(0, dailyAfter);
        Assert.Equal(0, tally.Skip(500).Sum());
        await FaultRig.AssertAliveAsync(gateway);
    }

    // The account's answer and the daily budget's r from the RateLimit header ("free-daily";r=N).
    private static async Task<(Answer Answer, long? Daily)> AccountAsync(GatewayProcess gateway, string header)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri("/api/check", UriKind.Relative));
        request.Headers.TryAddWithoutValidation("kira_session", header);
        using HttpResponseMessage response = await gateway.Client.SendAsync(request);
        string? rateLimit = response.Headers.TryGetValues("RateLimit", out IEnumerable<string>? values) ? string.Join(",", values) : null;
        Match daily = rateLimit is null ? Match.Empty : DailyRemaining().Match(rateLimit);
        string body = await response.Content.ReadAsStringAsync();
        string? code = response.Content.Headers.ContentType?.MediaType == "application/problem+json"
            ? System.Text.Json.JsonDocument.Parse(body).RootElement.GetProperty("code").GetString()
            : null;
        return (new Answer((int)response.StatusCode, code, TimeSpan.Zero), daily.Success ? long.Parse(daily.Groups[1].Value, CultureInfo.InvariantCulture) : null);
    }

    [GeneratedRegex("-daily\";r=(\\d+)")]
    private static partial Regex DailyRemaining();
}
