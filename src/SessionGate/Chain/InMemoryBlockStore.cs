using System.Diagnostics.CodeAnalysis;
using SessionGate.Caching;
using SessionGate.Protocol;

namespace SessionGate.Chain;

/// <summary>
/// Blocks of one gateway instance, in process. Each block expires when it becomes older than the
/// retention (by its own time), and the number of blocks is capped, so memory stays bounded even
/// if a node (or clients asking for many real hashes) floods it with blocks.
/// </summary>
internal sealed class InMemoryBlockStore : IBlockStore
{
    /// <summary>
    /// Default cap on blocks held. Retention is minutes and Tendermint chains make a block every few
    /// seconds (KIRA ~5 s: ~72 blocks in 6 minutes), so 10,000 is generous and still only ~1 MB.
    /// </summary>
    public const int DefaultCapacity = 10_000;

    private readonly BoundedCache<Bytes32, BlockInfo> _blocks;
    private readonly TimeSpan _retention;
    private readonly TimeProvider _timeProvider;
    private readonly Lock _latestLock = new();
    private volatile BlockInfo? _latest;

    /// <summary>Creates an empty store.</summary>
    public InMemoryBlockStore(TimeSpan retention, TimeProvider timeProvider, int capacity = DefaultCapacity)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(retention, TimeSpan.Zero);
        _retention = retention;
        _timeProvider = timeProvider;
        _blocks = new BoundedCache<Bytes32, BlockInfo>(capacity, timeProvider);
    }

    /// <inheritdoc />
    public BlockInfo? Latest => _latest;

    /// <inheritdoc />
    public bool IsShared => false;

    /// <summary>Blocks held now (including expired ones not yet dropped); never above the capacity.</summary>
    public int Count => _blocks.Count;

    /// <inheritdoc />
    public bool TryGetLocal(Bytes32 hash, [MaybeNullWhen(false)] out BlockInfo block) => _blocks.TryGet(hash, out block);

    /// <inheritdoc />
    public ValueTask<BlockLookup> FindAsync(Bytes32 hash, CancellationToken cancellationToken) =>
        new(TryGetLocal(hash, out BlockInfo? block) ? BlockLookup.Found(block) : BlockLookup.Unknown);

    /// <inheritdoc />
    public ValueTask AddAsync(BlockInfo block, CancellationToken cancellationToken)
    {
        Add(block);
        return ValueTask.CompletedTask;
    }

    /// <inheritdoc />
    public ValueTask<BlockInfo?> RefreshLatestAsync(CancellationToken cancellationToken) => new(_latest);

    /// <summary>Keeps the block if it is young enough and moves <see cref="Latest"/>; true when it was kept.</summary>
    public bool Add(BlockInfo block)
    {
        DateTimeOffset now = _timeProvider.GetUtcNow();
        OfferLatest(block, now);
        TimeSpan remaining = BlockRetention.Remaining(block, _retention, now);
        if (remaining <= TimeSpan.Zero)
        {
            return false;
        }

        _blocks.Set(block.Hash, block, remaining);
        return true;
    }

    /// <summary>
    /// Makes <paramref name="block"/> the newest when it is higher than the current one, or when the
    /// current one has aged out of the retention (so a chain restarted from height 1, e.g. a test
    /// network, is followed again once the old head is stale).
    /// </summary>
    public void OfferLatest(BlockInfo block, DateTimeOffset now)
    {
        lock (_latestLock)
        {
            BlockInfo? current = _latest;
            if (current is null
                || block.Height > current.Height
                || (block.Height < current.Height && BlockRetention.Remaining(current, _retention, now) <= TimeSpan.Zero))
            {
                _latest = block;
            }
        }
    }
}
