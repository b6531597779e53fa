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
