using System.Security.Cryptography;
using SessionGate.Chain;
using SessionGate.Protocol;

namespace SessionGate.Tests.Fakes;

/// <summary>A block feed whose blocks, and whose availability, the test controls.</summary>
internal sealed class FakeBlockFeed : IBlockFeed
{
    private readonly Dictionary<Bytes32, BlockInfo> _blocks = [];

    public bool Available { get; set; } = true;

    public int Lookups { get; private set; }

    public BlockInfo? Latest { get; private set; }

    public BlockInfo AddBlock(DateTimeOffset time)
    {
        long height = (Latest?.Height ?? 0) + 1;
        var block = new BlockInfo(height, new Bytes32(SHA256.HashData(BitConverter.GetBytes(height))), time);
        _blocks[block.Hash] = block;
        Latest = block;
        return block;
    }

    public ValueTask<BlockLookup> FindAsync(Bytes32 hash, CancellationToken cancellationToken = default)
    {
        Lookups++;
        if (_blocks.TryGetValue(hash, out BlockInfo? block))
        {
            return ValueTask.FromResult(BlockLookup.Found(block));
        }

        return ValueTask.FromResult(Available ? BlockLookup.Unknown : BlockLookup.Unavailable);
    }
}
