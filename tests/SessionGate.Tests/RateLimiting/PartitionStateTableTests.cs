using Microsoft.Extensions.Time.Testing;
using SessionGate.RateLimiting;
using SessionGate.RateLimiting.Quotas;
using SessionGate.Testing;

namespace SessionGate.Tests.RateLimiting;

public sealed class PartitionStateTableTests
{
    private static readonly GcraLimits Limits = GcraLimits.From(new QuotaPolicy("t", 60, 5));

    [Theory]
    [InlineData(2)]
    [InlineData(7)]
    [InlineData(100)]
    [InlineData(1000)]
    [InlineData(20_000)]
    public void Decide_FarMorePartitionsThanCapacity_NeverHoldsMoreThanRequested(int capacity)
    {
        var table = new PartitionStateTable(capacity);
        var clock = new FakeTimeProvider(TestTime.Start);

        for (int i = 0; i < Math.Max(10 * capacity, 1000); i++)
        {
            table.Decide("p" + i, Limits, 1, commit: true, clock);
        }

        Assert.True(table.Capacity <= capacity);
        Assert.True(table.Count <= table.Capacity, $"{table.Count} held, capacity {table.Capacity}");
        Assert.True(table.Capacity >= capacity / 2, "the bound is not far below what was asked for");
    }

    [Fact]
    public void Decide_FrequentlyUsedPartition_SurvivesEvictionOfOthers()
    {
        var table = new PartitionStateTable(256);
        var clock = new FakeTimeProvider(TestTime.Start);
        table.Decide("hot", Limits, 5, commit: true, clock);

        for (int i = 0; i < 10_000; i++)
        {
            table.Decide("cold" + i, Limits, 1, commit: true, clock);
            Assert.False(table.Decide("hot", Limits, 1, commit: false, clock).Allowed, $"forgot the hot partition at {i}");
        }
    }

    [Fact]
    public void Decide_RefusedOrPeekedUnknownPartition_StoresNothing()
    {
        var table = new PartitionStateTable(100);
        var clock = new FakeTimeProvider(TestTime.Start);

        table.Decide("peeked", Limits, 1, commit: false, clock);
        table.Decide("too-big", Limits, 6, commit: true, clock);

        Assert.Equal(0, table.Count);
    }
}

public sealed class PartitionStateTableFloodTests
{
    private static readonly GcraLimits Anonymous = GcraLimits.From(new QuotaPolicy("anonymous", 60, 5));
    private static readonly GcraLimits Daily = GcraLimits.From(new QuotaPolicy("free", 600, 100, 3));

    [Fact]
    public void Decide_FloodBeyondCapacity_NeverForgetsAnExhaustedAccount()
    {
        var table = new PartitionStateTable(1000);
        var clock = new FakeTimeProvider(TestTime.Start);
        for (int i = 0; i < 3; i++)
        {
            Assert.True(table.Decide("acct:exhausted", Daily, 1, commit: true, clock).Allowed);
        }

        for (int i = 0; i < 50_000; i++)
        {
            table.Decide("ip:" + i, Anonymous, 1, commit: true, clock);
            if (i % 1000 == 0)
            {
                clock.Advance(TimeSpan.FromSeconds(2));   // flood states come to rest and are swept, again and again
            }
        }

        QuotaVerdict after = table.Decide("acct:exhausted", Daily, 1, commit: true, clock);
        Assert.False(after.Allowed);
        Assert.Equal(0, after.DailyRemaining);
        Assert.True(table.Count <= table.Capacity);
    }

    [Fact]
    public void Decide_TableFullOfRestrictingStates_AggregatesNewcomersInsteadOfEvicting()
    {
        var table = new PartitionStateTable(64);
        var clock = new FakeTimeProvider(TestTime.Start);
        int accounts = 0;
        while (table.Count < table.Capacity)
        {
            table.Decide("acct:" + accounts++, Daily, 3, commit: true, clock);   // each exhausted for the day
        }

        // Newcomers share one aggregate budget (per shard and limits): a burst of 5, then refused.
        int allowed = Enumerable.Range(0, 200).Count(i => table.Decide("ip:new" + i, Anonymous, 1, commit: true, clock).Allowed);
        Assert.InRange(allowed, 5, 5 * PartitionStateTable.ShardCount);
        Assert.True(table.AggregatedDecisions >= 200);
        Assert.All(Enumerable.Range(0, accounts), i => Assert.False(table.Decide("acct:" + i, Daily, 1, commit: false, clock).Allowed));
        Assert.Equal(table.Capacity, table.Count);

        // At the next UTC day every state rests: a sweep frees room and newcomers get states of their own.
        clock.Advance(TimeSpan.FromDays(1));
        Assert.True(table.Decide("ip:tomorrow", Anonymous, 1, commit: true, clock).Allowed);
        Assert.True(table.Count < table.Capacity);
    }

    [Fact]
    public void RestsAt_IsWhenTheStateDecidesLikeNoState()
    {
        Assert.Equal(0, PartitionStateTable.RestsAt(default));
        Assert.Equal(500, PartitionStateTable.RestsAt(new QuotaState(500, 0, 0)));
        Assert.Equal(2 * UnixMicroseconds.PerDay, PartitionStateTable.RestsAt(new QuotaState(500, 1, 2)));
    }
}
