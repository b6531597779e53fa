using SessionGate.Protocol;

namespace SessionGate.Chain;

/// <summary>
/// Knows recent blocks: hash → (height, time). Shared by every gateway instance (through Redis when
/// configured). Lookups of known blocks complete synchronously; unknown hashes may be looked up on
/// the chain node once, with a negative cache so bogus hashes cannot amplify load onto the node.
/// </summary>
public interface IBlockFeed
{
    /// <summary>The newest block known, or null before the first block is known.</summary>
    BlockInfo? Latest { get; }

    /// <summary>Finds a block by hash. Never throws for an unknown or bogus hash.</summary>
    ValueTask<BlockLookup> FindAsync(Bytes32 hash, CancellationToken cancellationToken = default);
}

/// <summary>What a block lookup found.</summary>
public enum BlockLookupStatus
{
    /// <summary>The block is known; <see cref="BlockLookup.Block"/> holds it.</summary>
    Found = 0,

    /// <summary>The chain does not have (or the feed could not find) a block with that hash.</summary>
    Unknown = 1,

    /// <summary>The chain could not be asked and nothing usable is cached.</summary>
    Unavailable = 2,
}

/// <summary>The result of <see cref="IBlockFeed.FindAsync"/>.</summary>
/// <param name="Status">Found, unknown or unavailable.</param>
/// <param name="Block">The block when found.</param>
public readonly record struct BlockLookup(BlockLookupStatus Status, BlockInfo? Block)
{
    /// <summary>A found block.</summary>
    public static BlockLookup Found(BlockInfo block) => new(BlockLookupStatus.Found, block);

    /// <summary>No such block.</summary>
    public static BlockLookup Unknown => new(BlockLookupStatus.Unknown, null);

    /// <summary>The chain could not be asked.</summary>
    public static BlockLookup Unavailable => new(BlockLookupStatus.Unavailable, null);
}
