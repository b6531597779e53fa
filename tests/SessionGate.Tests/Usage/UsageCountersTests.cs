using Microsoft.Extensions.Time.Testing;
using SessionGate.Testing;
using SessionGate.Usage;

namespace SessionGate.Tests.Usage;

public sealed class UsageCountersTests
{
    private const string Alice = "kira1alice";
    private const string Bob = "kira1bob";

    [Fact]
    public async Task Read_CountsPerSecondOldestFirst_CurrentSecondLast()
    {
        var time = new FakeTimeProvider(TestTime.Start);
        var tracker = new InMemoryUsageTracker(time);
        tracker.Record(Alice, rejected: false);
        tracker.Record(Alice, rejected: true);
        tracker.Record(null, rejected: false);
        time.Advance(TimeSpan.FromSeconds(1));
        tracker.Record(Bob, rejected: false);

        UsageSnapshot usage = await tracker.ReadAsync();

        Assert.Equal(60, usage.Overall.RequestsPerSecond.Count);
        Assert.Equal(4, usage.Overall.Requests);
        Assert.Equal(1, usage.Overall.Rejected);
        Assert.Equal(3, usage.Overall.RequestsPerSecond[58]);
        Assert.Equal(1, usage.Overall.RequestsPerSecond[59]);
        Assert.Equal(2, usage.Accounts[Alice].Requests);
        Assert.Equal(1, usage.Accounts[Alice].Rejected);
        Assert.Equal(2, usage.Accounts[Alice].RequestsPerSecond[58]);
        Assert.Equal(1, usage.Accounts[Bob].RequestsPerSecond[59]);
        Assert.Equal(2, usage.Accounts.Count);
        Assert.Equal(usage.Accounts[Alice], await tracker.ReadAccountAsync(Alice), UsageSeriesComparer.Instance);
        Assert.Same(UsageSeries.Empty, await tracker.ReadAccountAsync("kira1nobody"));
    }

    [Fact]
    public async Task Read_ShadowRejected_CountedApartFromRefusals()
    {
        var time = new FakeTimeProvider(TestTime.Start);
        var tracker = new InMemoryUsageTracker(time);
        tracker.Record(Alice, rejected: false, shadowRejected: true);
        tracker.Record(Alice, rejected: false, shadowRejected: false);
        tracker.Record(null, rejected: false, shadowRejected: true);
        tracker.Record(Bob, rejected: true);

        UsageSnapshot usage = await tracker.ReadAsync();

        Assert.Equal((4, 1, 2), (usage.Overall.Requests, usage.Overall.Rejected, usage.Overall.ShadowRejected));
        Assert.Equal((2, 0, 1), (usage.Accounts[Alice].Requests, usage.Accounts[Alice].Rejected, usage.Accounts[Alice].ShadowRejected));
        Assert.Equal(0, usage.Accounts[Bob].ShadowRejected);
        Assert.Equal(1, (await tracker.ReadAccountAsync(Alice)).ShadowRejected);
    }

    private sealed class UsageSeriesComparer : IEqualityComparer<UsageSeries>
    {
        public static readonly UsageSeriesComparer Instance = new();

        public bool Equals(UsageSeries? x, UsageSeries? y) =>
            x is not null && y is not null && x.Requests == y.Requests && x.Rejected == y.Rejected && x.RequestsPerSecond.SequenceEqual(y.RequestsPerSecond);

        public int GetHashCode(UsageSeries obj) => obj.Requests.GetHashCode();
    }

    [Fact]
    public async Task Read_AfterTheWindow_ForgetsOldSeconds()
    {
        var time = new FakeTimeProvider(TestTime.Start);
        var tracker = new InMemoryUsageTracker(time);
        tracker.Record(Alice, rejected: false);
        time.Advance(TimeSpan.FromSeconds(59));
        Assert.Equal(1, (await tracker.ReadAsync()).Overall.RequestsPerSecond[0]);

        time.Advance(TimeSpan.FromSeconds(1));
        UsageSnapshot usage = await tracker.ReadAsync();

        Assert.Equal(0, usage.Overall.Requests);
        Assert.Empty(usage.Accounts);
    }

    [Fact]
    public async Task Record_AfterALongPause_ReusesRingSlotsWithoutOldCounts()
    {
        var time = new FakeTimeProvider(TestTime.Start);
        var tracker = new InMemoryUsageTracker(time);
        tracker.Record(Alice, rejected: false);
        time.Advance(TimeSpan.FromSeconds(68));   // the same slot of the ring, 68 s later
        tracker.Record(Bob, rejected: false);

        UsageSnapshot usage = await tracker.ReadAsync();

        Assert.Equal(1, usage.Overall.Requests);
        Assert.False(usage.Accounts.ContainsKey(Alice));
    }

    [Fact]
    public async Task Record_BeyondTheAccountCap_CountsOverallOnly()
    {
        var time = new FakeTimeProvider(TestTime.Start);
        var tracker = new InMemoryUsageTracker(time, maxAccountsPerSecond: 3);
        for (int i = 0; i < 10; i++)
        {
            tracker.Record("kira1acct" + i, rejected: false);
        }

        tracker.Record("kira1acct0", rejected: false);   // already tracked this second: still counted
        UsageSnapshot usage = await tracker.ReadAsync();

        Assert.Equal(11, usage.Overall.Requests);
        Assert.Equal(3, usage.Accounts.Count);
        Assert.Equal(2, usage.Accounts["kira1acct0"].Requests);
    }

    [Fact]
    public void TakeCompleted_ReturnsOnlyFinishedSecondsOnce()
    {
        var time = new FakeTimeProvider(TestTime.Start);
        var counters = new UsageCounters(time);
        counters.Record(Alice, rejected: true);
        Assert.Empty(counters.TakeCompleted());   // the current second is still open

        time.Advance(TimeSpan.FromSeconds(1));
        counters.Record(Bob, rejected: false);
        IReadOnlyList<SecondCounts> taken = counters.TakeCompleted();

        SecondCounts second = Assert.Single(taken);
        Assert.Equal(time.GetUtcNow().ToUnixTimeSeconds() - 1, second.Second);
        Assert.Equal(1, second.Requests);
        Assert.Equal(1, second.Rejected);
        Assert.Equal(new AccountCounts(Alice, 1, 1), Assert.Single(second.Accounts));
        Assert.Empty(counters.TakeCompleted());
    }

    [Fact]
    public async Task Record_FromManyThreads_LosesNothing()
    {
        var time = new FakeTimeProvider(TestTime.Start);
        var tracker = new InMemoryUsageTracker(time);
        await Task.WhenAll(Enumerable.Range(0, 8).Select(t => Task.Run(() =>
        {
            for (int i = 0; i < 10_000; i++)
            {
                tracker.Record(t % 2 == 0 ? Alice : null, rejected: i % 10 == 0);
            }
        })));

        UsageSnapshot usage = await tracker.ReadAsync();

        Assert.Equal(80_000, usage.Overall.Requests);
        Assert.Equal(8_000, usage.Overall.Rejected);
        Assert.Equal(40_000, usage.Accounts[Alice].Requests);
    }
}
