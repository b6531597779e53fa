using Microsoft.Extensions.Time.Testing;
using SessionGate.Testing;
using SessionGate.Verification.Blocking;

namespace SessionGate.Tests.Verification.Blocking;

public sealed class BlockTableTests
{
    private readonly FakeTimeProvider _time = new(TestTime.Start);

    [Fact]
    public void Block_TableFull_DropsEndedBlocksFirst()
    {
        var table = new BlockTable(4, _time);
        table.Block("short-1", TimeSpan.FromSeconds(1));
        table.Block("short-2", TimeSpan.FromSeconds(1));
        table.Block("long-1", TimeSpan.FromHours(1));
        table.Block("long-2", TimeSpan.FromHours(1));
        _time.Advance(TimeSpan.FromSeconds(2));

        table.Block("new", TimeSpan.FromHours(1));

        Assert.Equal(3, table.Count);
        Assert.NotNull(table.GetRemaining("long-1"));
        Assert.NotNull(table.GetRemaining("long-2"));
        Assert.NotNull(table.GetRemaining("new"));
    }

    [Fact]
    public void Block_TableFullOfLiveBlocks_EvictsTheBlockClosestToItsEnd()
    {
        var table = new BlockTable(3, _time);
        table.Block("ends-last", TimeSpan.FromHours(3));
        table.Block("ends-first", TimeSpan.FromHours(1));
        table.Block("ends-second", TimeSpan.FromHours(2));

        table.Block("new", TimeSpan.FromHours(4));

        Assert.Equal(3, table.Count);
        Assert.Null(table.GetRemaining("ends-first"));
        Assert.NotNull(table.GetRemaining("ends-second"));
        Assert.NotNull(table.GetRemaining("new"));
    }

    [Fact]
    public void Remove_EndedBlock_ReturnsFalse()
    {
        var table = new BlockTable(3, _time);
        table.Block("a", TimeSpan.FromSeconds(1));
        _time.Advance(TimeSpan.FromSeconds(1));

        Assert.False(table.Remove("a"));
        Assert.False(table.Remove("never"));
    }
}
