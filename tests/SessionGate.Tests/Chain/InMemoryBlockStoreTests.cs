using Microsoft.Extensions.Time.Testing;
using SessionGate.Chain;
using SessionGate.Testing;
using SessionGate.Testing.Nodes;

namespace SessionGate.Tests.Chain;

public sealed class InMemoryBlockStoreTests
{
    private static readonly TimeSpan Retention = TimeSpan.FromMinutes(6);
    private readonly FakeTimeProvider _clock = new(TestTime.Start);

    [Fact]
    public void Add_RecentBlock_KeptUntilItsAgePassesRetention()
    {
        var store = new InMemoryBlockStore(Retention, _clock);
        BlockInfo block = TendermintSamples.MakeBlock(1, _clock.GetUtcNow() - TimeSpan.FromMinutes(1));

        Assert.True(store.Add(block));
        _clock.Advance(TimeSpan.FromMinutes(4.9));
        Assert.True(store.TryGetLocal(block.Hash, out _));
        _clock.Advance(TimeSpan.FromMinutes(0.2));
        Assert.False(store.TryGetLocal(block.Hash, out _));
    }

    [Fact]
    public void Add_BlockAlreadyPastRetention_NotKeptButStillBecomesLatest()
    {
        var store = new InMemoryBlockStore(Retention, _clock);
        BlockInfo stale = TendermintSamples.MakeBlock(9, _clock.GetUtcNow() - TimeSpan.FromMinutes(7));

        Assert.False(store.Add(stale));
        Assert.False(store.TryGetLocal(stale.Hash, out _));
        Assert.Equal(stale, store.Latest);
    }

    [Fact]
    public void Add_BlockFromTheFuture_KeptNoLongerThanRetention()
    {
        var store = new InMemoryBlockStore(Retention, _clock);
        BlockInfo future = TendermintSamples.MakeBlock(1, _clock.GetUtcNow() + TimeSpan.FromHours(1));

        store.Add(future);
        _clock.Advance(Retention + TimeSpan.FromSeconds(1));

        Assert.False(store.TryGetLocal(future.Hash, out _));
    }

    [Fact]
    public void Latest_LowerHeight_IgnoredUntilCurrentHeadIsStale()
    {
        var store = new InMemoryBlockStore(Retention, _clock);
        DateTimeOffset now = _clock.GetUtcNow();
        store.Add(TendermintSamples.MakeBlock(100, now));
        store.Add(TendermintSamples.MakeBlock(99, now));
        Assert.Equal(100, store.Latest!.Height);

        _clock.Advance(Retention + TimeSpan.FromSeconds(1));
        store.Add(TendermintSamples.MakeBlock(1, _clock.GetUtcNow())); // the chain was restarted

        Assert.Equal(1, store.Latest!.Height);
    }

    [Fact]
    public void Add_FloodOfBlocks_CountNeverExceedsCapacity()
    {
        var store = new InMemoryBlockStore(Retention, _clock, capacity: 1_000);
        DateTimeOffset now = _clock.GetUtcNow();

        for (long height = 1; height <= 20_000; height++)
        {
            store.Add(TendermintSamples.MakeBlock(height, now));
            Assert.True(store.Count <= 1_000);
        }

        Assert.Equal(20_000, store.Latest!.Height);
        Assert.True(store.TryGetLocal(store.Latest.Hash, out _));
    }
}
