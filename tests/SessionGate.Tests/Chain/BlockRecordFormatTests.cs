using SessionGate.Chain;
using SessionGate.Testing.Nodes;

namespace SessionGate.Tests.Chain;

public sealed class BlockRecordFormatTests
{
    [Fact]
    public void TryParse_FormattedBlock_RoundTrips()
    {
        BlockInfo block = TendermintSamples.MakeBlock(123456, new DateTimeOffset(2026, 11, 21, 12, 0, 0, TimeSpan.FromHours(2)).AddTicks(1234567));

        string record = BlockRecordFormat.Format(block);

        Assert.StartsWith("123456:", record, StringComparison.Ordinal);
        Assert.EndsWith(":" + block.Hash.ToUpperHex(), record, StringComparison.Ordinal);
        Assert.True(BlockRecordFormat.TryParse(record, out BlockInfo? parsed));
        Assert.Equal(block, parsed);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("garbage")]
    [InlineData("0:638000000000000000:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    [InlineData("-1:638000000000000000:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    [InlineData("5:99999999999999999999:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    [InlineData("5:638000000000000000:AAAA")]
    [InlineData("5::AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    public void TryParse_Malformed_ReturnsFalse(string? record)
    {
        Assert.False(BlockRecordFormat.TryParse(record, out _));
    }
}
