using System.Text.Json;
using SessionGate.Chain;
using SessionGate.Testing.Nodes;

namespace SessionGate.Tests.Chain;

public sealed class TendermintJsonTests
{
    private const string Hash = "5B4DFA2FDD8D9C2C0D7C18AB3E0C2B2F0E8EFA4B5D1C4C44E1E3A2F06B5A0C11";

    [Theory]
    [InlineData("\"1234\"")]
    [InlineData("1234")]
    public void TryReadStatus_HeightAsStringOrNumber_Parsed(string height)
    {
        using JsonDocument json = JsonDocument.Parse(
            """{"jsonrpc":"2.0","id":-1,"result":{"sync_info":{"latest_block_hash":"@HASH","latest_block_height":@HEIGHT,"latest_block_time":"2026-11-21T12:00:00.123456789Z"}}}"""
                .Replace("@HASH", Hash, StringComparison.Ordinal).Replace("@HEIGHT", height, StringComparison.Ordinal));

        Assert.True(TendermintJson.TryReadStatus(json.RootElement, out BlockInfo? block, out _));
        Assert.Equal(1234, block!.Height);
        Assert.Equal(Hash, block.Hash.ToUpperHex());
        Assert.Equal(new DateTimeOffset(2026, 11, 21, 12, 0, 0, TimeSpan.Zero).AddTicks(1234567), block.Time);
    }

    [Fact]
    public void TryReadStatus_InterxUnwrappedResultWithLowercaseHash_Parsed()
    {
        using JsonDocument json = JsonDocument.Parse(
            """{"node_info":{"network":"kira-1"},"sync_info":{"latest_block_hash":"@HASH","latest_block_height":"7","latest_block_time":"2026-11-21T12:00:00Z"}}"""
                .Replace("@HASH", Hash.ToLowerInvariant(), StringComparison.Ordinal));

        Assert.True(TendermintJson.TryReadStatus(json.RootElement, out BlockInfo? block, out _));
        Assert.Equal(Hash, block!.Hash.ToUpperHex());
    }

    [Fact]
    public void ReadBlock_BlockNull_NotFound()
    {
        using JsonDocument json = JsonDocument.Parse(TendermintSamples.NullBlock);

        Assert.Equal(NodeAnswerKind.NotFound, TendermintJson.ReadBlock(json.RootElement).Kind);
    }

    [Fact]
    public void ReadBlock_JsonRpcError_NotFound()
    {
        using JsonDocument json = JsonDocument.Parse(TendermintSamples.RpcError("height 99 must be less than or equal to the current blockchain height 5"));

        Assert.Equal(NodeAnswerKind.NotFound, TendermintJson.ReadBlock(json.RootElement).Kind);
    }

    [Fact]
    public void ReadBlock_FullBlock_ReadsHashHeightAndTime()
    {
        BlockInfo expected = TendermintSamples.MakeBlock(42, new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.Zero).AddTicks(6789));
        using JsonDocument json = JsonDocument.Parse(TendermintSamples.Block(expected));

        NodeAnswer answer = TendermintJson.ReadBlock(json.RootElement);

        Assert.Equal(NodeAnswerKind.Found, answer.Kind);
        Assert.Equal(expected, answer.Block);
    }
}
