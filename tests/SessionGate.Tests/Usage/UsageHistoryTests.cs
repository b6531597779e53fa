using Microsoft.Extensions.Time.Testing;
using SessionGate.Testing;
using SessionGate.Usage;

namespace SessionGate.Tests.Usage;

/// <summary>The in-memory quota history with a simulated clock: per-minute rollups, ranges, top lists, expiry and bounds.</summary>
public sealed class UsageHistoryTests
{
    private const string Alice = "kira1alice";
    private const string Bob = "kira1bob";

    /// <summary>TestTime.Start is on a minute boundary (12:00:00 UTC).</summary>
    private static readonly DateTimeOffset Start = TestTime.Start;

    [Fact]
    public async Task DashboardHistory_AcrossASimulatedHour_RollsUpPerMinuteForEachRange()
    {
        var time = new FakeTimeProvider(Start);
        var history = new InMemoryUsageHistory(time);
        const int Minutes = 75;
        long expectedRequests = 0;
        for (int i = 0; i < Minutes; i++)
        {
            // Alice: 1–5 requests a minute of cost 2 on route "api", every 10th minute one of them refused.
            for (int r = 0; r <= i % 5; r++)
            {
                bool refused = i % 10 == 0 && r == 0;
                history.Record(new UsageHistoryEntry(Alice, null, "api", refused ? 0 : 2, refused));
                expectedRequests++;
            }

            if (i % 2 == 0)
            {
                history.Record(UsageHistoryEntry.ServedInShadowMode(Bob, null, "rpc", 1));
                expectedRequests++;
            }

            history.Record(new UsageHistoryEntry(null, $"203.0.113.{i % 7}", "api", 1, false));
            expectedRequests++;
            time.Advance(TimeSpan.FromMinutes(1));
        }

        // Now at minute 75 (nothing counted yet): the last hour is minutes 16–75.
        UsageHistoryReport hour = await history.ReadAsync(HistoryRange.OneHour, top: 10);
        Assert.Equal(60, hour.Overall.Minutes.Count);
        Assert.Equal(Start.AddMinutes(16), hour.Overall.Start);
        Assert.Equal(default, hour.Overall.Minutes[^1]);
        for (int m = 0; m < 59; m++)
        {
            int i = 16 + m;
            long requests = (i % 5) + 1 + (i % 2 == 0 ? 1 : 0) + 1;
            long refused = i % 10 == 0 ? 1 : 0;
            long cost = (2 * ((i % 5) + 1 - refused)) + (i % 2 == 0 ? 1 : 0) + 1;
            Assert.Equal(new HistoryCounts(requests, refused, cost, i % 2 == 0 ? 1 : 0), hour.Overall.Minutes[m]);
        }

        Assert.Equal(Alice, hour.Accounts.Items[0].Name);
        Assert.Equal(Bob, hour.Accounts.Items[1].Name);
        Assert.Equal(30, hour.Accounts.Items[1].Counts.WouldBeRefused);
        Assert.Equal(["api", "rpc"], hour.Routes.Items.Select(r => r.Name));
        Assert.Equal(["203.0.113.0/24"], hour.AnonymousPrefixes.Items.Select(p => p.Name));
        Assert.Equal(59, hour.AnonymousPrefixes.Items[0].Counts.Requests);
        Assert.Equal(Start.AddMinutes(16), hour.TopFrom);

        // 6 h and 24 h hold every minute so far, the oldest minutes empty.
        UsageHistoryReport six = await history.ReadAsync(HistoryRange.SixHours, top: 10);
        UsageHistoryReport day = await history.ReadAsync(HistoryRange.Day, top: 10);
        Assert.Equal(360, six.Overall.Minutes.Count);
        Assert.Equal(1440, day.Overall.Minutes.Count);
        Assert.Equal(expectedRequests, six.Overall.Totals.Requests);
        Assert.Equal(expectedRequests, day.Overall.Totals.Requests);
        Assert.All(six.Overall.Minutes.Take(360 - 76), m => Assert.Equal(default, m));
        Assert.Equal(Start.AddMinutes(75 - 359), six.Overall.Start);
        Assert.Equal(8, day.Overall.Totals.Refused);

        // One account's series: only its own minutes.
        HistorySeries alice = await history.ReadAccountAsync(Alice, HistoryRange.SixHours);
        Assert.Equal(360, alice.Minutes.Count);
        Assert.Equal(Enumerable.Range(0, Minutes).Sum(i => (i % 5) + 1), alice.Totals.Requests);
        Assert.Equal(new HistoryCounts(1, 1, 0, 0), alice.Minutes[360 - 76]);   // minute 0: one request, refused
        Assert.Equal(0, alice.Totals.WouldBeRefused);
        Assert.Equal(default, (await history.ReadAccountAsync("kira1nobody", HistoryRange.OneHour)).Totals);
    }

    [Fact]
    public async Task Record_OnEitherSideOfAMinuteBoundary_CountsInEachMinute()
    {
        var time = new FakeTimeProvider(Start.AddSeconds(59.999));
        var history = new InMemoryUsageHistory(time);
        history.Record(new UsageHistoryEntry(Alice, null, "api", 1, false));
        time.Advance(TimeSpan.FromMilliseconds(1));
        history.Record(new UsageHistoryEntry(Alice, null, "api", 1, false));
        history.Record(new UsageHistoryEntry(Alice, null, "api", 1, false));

        HistorySeries series = await history.ReadAccountAsync(Alice, HistoryRange.OneHour);

        Assert.Equal(Start.AddMinutes(1 - 59), series.Start);
        Assert.Equal(1, series.Minutes[58].Requests);
        Assert.Equal(2, series.Minutes[59].Requests);

        // Reading again (and reading the current minute while it counts) counts nothing twice.
        history.Record(new UsageHistoryEntry(Alice, null, "api", 1, false));
        series = await history.ReadAccountAsync(Alice, HistoryRange.OneHour);
        Assert.Equal(3, series.Minutes[59].Requests);
        Assert.Equal(4, (await history.ReadAsync(HistoryRange.OneHour, 5)).Overall.Totals.Requests);
    }

    [Fact]
    public async Task History_MinutesOlderThan24Hours_Expire()
    {
        var time = new FakeTimeProvider(Start);
        var history = new InMemoryUsageHistory(time);
        history.Record(new UsageHistoryEntry(Alice, null, "api", 3, false));

        time.Advance(TimeSpan.FromMinutes(1439));
        UsageHistoryReport day = await history.ReadAsync(HistoryRange.Day, 10);
        Assert.Equal(new HistoryCounts(1, 0, 3, 0), day.Overall.Minutes[0]);
        Assert.Equal(Alice, Assert.Single(day.Accounts.Items).Name);
        Assert.Equal(0, (await history.ReadAsync(HistoryRange.SixHours, 10)).Overall.Totals.Requests);

        // One minute later the first minute is 24 h old; counting in its slot's new minute does not revive it.
        time.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal(0, (await history.ReadAsync(HistoryRange.Day, 10)).Overall.Totals.Requests);
        history.Record(new UsageHistoryEntry(Bob, null, "api", 1, false));
        day = await history.ReadAsync(HistoryRange.Day, 10);
        Assert.Equal(1, day.Overall.Totals.Requests);
        Assert.Equal(Bob, Assert.Single(day.Accounts.Items).Name);
        Assert.Equal(0, (await history.ReadAccountAsync(Alice, HistoryRange.Day)).Totals.Requests);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(0)]   // the default striping
    public async Task History_ManyAnonymousPrefixes_StaysWithinTheCapsWithTheRestAsOther(int stripes)
    {
        var time = new FakeTimeProvider(Start);
        var limits = new UsageHistoryLimits(MaxAccountsPerMinute: 4, MaxPrefixesPerMinute: 8, MaxRoutesPerMinute: 2, MaxMethodsPerMinute: 3);
        var history = new InMemoryUsageHistory(time, limits, stripes);
        const int Minutes = 30, PerMinute = 2000;
        for (int m = 0; m < Minutes; m++)
        {
            for (int i = 0; i < PerMinute; i++)
            {
                int n = (m * PerMinute) + i;
                history.Record(new UsageHistoryEntry(null, $"10.{n >> 8 & 255}.{n & 255}.1", "route" + (i % 5), 1, false));
                history.RecordMethodCall("eth_m" + (i % 9), 1, false);
            }

            history.Record(new UsageHistoryEntry($"kira1acct{m % 6}", null, "api", 1, false));
            if (m == 0)
            {
                // 2,000 prefixes in one minute: 8 by name, the rest as other.
                UsageHistoryReport first = await history.ReadAsync(HistoryRange.OneHour, top: 100);
                Assert.Equal(8, first.AnonymousPrefixes.Items.Count);
                Assert.Equal(PerMinute, first.AnonymousPrefixes.Items.Sum(p => p.Counts.Requests) + first.AnonymousPrefixes.Other.Requests);
                Assert.Equal(2, first.Routes.Items.Count);
                Assert.Equal(3, first.Methods.Items.Count);
            }

            time.Advance(TimeSpan.FromMinutes(1));
        }

        UsageHistoryReport day = await history.ReadAsync(HistoryRange.Day, top: 100);
        Assert.Equal((Minutes * PerMinute) + Minutes, day.Overall.Totals.Requests);
        Assert.Equal(Minutes * PerMinute, day.AnonymousPrefixes.Items.Sum(p => p.Counts.Requests) + day.AnonymousPrefixes.Other.Requests);
        Assert.InRange(day.AnonymousPrefixes.Items.Count, 1, Minutes * 8);
        Assert.True(day.AnonymousPrefixes.Other.Requests > 0, "prefixes beyond the cap count as other");
        Assert.InRange(day.Routes.Items.Count, 1, 5);
        Assert.Equal((Minutes * PerMinute) + Minutes, day.Routes.Items.Sum(r => r.Counts.Requests) + day.Routes.Other.Requests);
        Assert.Equal(Minutes * PerMinute, day.Methods.Items.Sum(r => r.Counts.Requests) + day.Methods.Other.Requests);
        Assert.Equal(6, day.Accounts.Items.Count);
    }

    [Fact]
    public async Task TopLists_LongerThanTop_SumTheRestAsOther_AndMethodsComeFromTheHook()
    {
        var time = new FakeTimeProvider(Start);
        var history = new InMemoryUsageHistory(time);
        for (int a = 0; a < 5; a++)
        {
            for (int r = 0; r <= a; r++)
            {
                history.Record(new UsageHistoryEntry("kira1a" + a, null, "api", 1, false));
            }
        }

        history.RecordMethodCall("eth_getLogs", 75, refused: false);
        history.RecordMethodCall("eth_getLogs", 0, refused: true);
        history.RecordMethodCall("eth_call", 26, refused: false, wouldBeRefused: true);
        history.RecordMethodCall(new string('x', 101), 1, refused: false);
        history.RecordMethodCall("bad\u00e9method", 1, refused: false);
        history.Record(new UsageHistoryEntry(null, "2001:db8:1:2::5", null, 1, false));
        history.Record(new UsageHistoryEntry(null, "::ffff:198.51.100.7", null, 1, false));
        history.Record(new UsageHistoryEntry(null, "not an address", null, 1, false));

        UsageHistoryReport report = await history.ReadAsync(HistoryRange.OneHour, top: 2);

        Assert.Equal(["kira1a4", "kira1a3"], report.Accounts.Items.Select(a => a.Name));
        Assert.Equal(1 + 2 + 3, report.Accounts.Other.Requests);
        Assert.Equal(["eth_getLogs", "eth_call"], report.Methods.Items.Select(m => m.Name));
        Assert.Equal(new HistoryCounts(2, 1, 75, 0), report.Methods.Items[0].Counts);
        Assert.Equal(new HistoryCounts(1, 0, 26, 1), report.Methods.Items[1].Counts);
        Assert.Equal(2, report.Methods.Other.Requests);
        Assert.Equal(["198.51.100.0/24", "2001:db8:1::/48"], report.AnonymousPrefixes.Items.Select(p => p.Name).Order(StringComparer.Ordinal));
        Assert.Equal(1, report.AnonymousPrefixes.Other.Requests);
        Assert.Equal(15 + 3, report.Overall.Totals.Requests);   // method calls are not requests
    }

    [Theory]
    [InlineData("203.0.113.77", "203.0.113.0/24")]
    [InlineData("10.0.0.1", "10.0.0.0/24")]
    [InlineData("::ffff:203.0.113.9", "203.0.113.0/24")]
    [InlineData("2001:db8:abcd:12:1:2:3:4", "2001:db8:abcd::/48")]
    [InlineData("fe80::1%3", "fe80::/48")]
    [InlineData("::1", "::/48")]
    [InlineData("", null)]
    [InlineData("example.com", null)]
    [InlineData("#0123abcd", null)]
    public void AddressPrefix_Of_GivesThe24Or48(string address, string? expected) =>
        Assert.Equal(expected, AddressPrefix.Of(address));

    [Theory]
    [InlineData("1h", HistoryRange.OneHour)]
    [InlineData("6h", HistoryRange.SixHours)]
    [InlineData("24h", HistoryRange.Day)]
    public void HistoryRanges_TryParse_KnownNames(string text, HistoryRange expected)
    {
        Assert.True(HistoryRanges.TryParse(text, out HistoryRange range));
        Assert.Equal(expected, range);
        Assert.Equal(text, range.Name());
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("1H")]
    [InlineData("2h")]
    [InlineData("60")]
    [InlineData(" 1h")]
    public void HistoryRanges_TryParse_AnythingElse_False(string? text) => Assert.False(HistoryRanges.TryParse(text, out _));
}
