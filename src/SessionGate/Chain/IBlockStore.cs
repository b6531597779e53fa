using System.Diagnostics.CodeAnalysis;
using SessionGate.Protocol;

namespace SessionGate.Chain;

/// <summary>
/// Where a feed keeps the blocks it knows, by hash, plus the newest one. Blocks are dropped once
/// older than <see cref="ChainOptions.Retention"/> (by their own time). Implementations:
/// <see cref="InMemoryBlockStore"/> (one instance) and <see cref="RedisBlockStore"/> (shared by all
/// gateway instances, with an in-process copy in front).
/// </summary>
internal interface IBlockStore
{
    /// <summary>The newest block known to this instance (never waits for I/O).</summary>
    BlockInfo? Latest { get; }

    /// <summary>True when blocks put here are visible to other gateway instances.</summary>
    bool IsShared { get; }

    /// <summary>Looks in the in-process copy only: the hot path, no I/O.</summary>
    bool TryGetLocal(Bytes32 hash, [MaybeNullWhen(false)] out BlockInfo block);

    /// <summary>
    /// Local copy first (completes synchronously on a hit), then the shared store. Returns Unknown
    /// when no one has the block and Unavailable when the shared store cannot be asked. Never
    /// throws except for cancellation by <paramref name="cancellationToken"/>.
    /// </summary>
    ValueTask<BlockLookup> FindAsync(Bytes32 hash, CancellationToken cancellationToken);

    /// <summary>
    /// Keeps a block (ignored when already older than the retention) and moves <see cref="Latest"/>
    /// forward when it is higher. The local copy is updated before this returns its first await, so
    /// it is visible to <see cref="TryGetLocal"/> at once. Shared-store trouble is logged, not thrown.
    /// </summary>
    ValueTask AddAsync(BlockInfo block, CancellationToken cancellationToken);

    /// <summary>
    /// Adopts the shared store's newest block when it is higher than <see cref="Latest"/> (another
    /// instance learned it) and returns the result. Never throws except for cancellation.
    /// </summary>
    ValueTask<BlockInfo?> RefreshLatestAsync(CancellationToken cancellationToken);
}
