using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Logging;
using SessionGate.Hosting;
using SessionGate.Protocol;

namespace SessionGate.Chain;

/// <summary>
/// The built-in simulated chain: a block at start and then one every
/// <see cref="DevChainOptions.BlockInterval"/>, heights from 1, time = the gateway's clock,
/// hash = SHA-256(UTF-8 chain id ‖ height as 8 bytes big-endian ‖ time as UTC ticks, 8 bytes big-endian).
/// <para>
/// Several instances sharing Redis: each instance produces its own blocks (its own heights,
/// different hashes, no consensus) and writes them to the shared store; <see cref="FindAsync"/>
/// looks in the local copy, then in Redis, so a header signed with a block from any instance is
/// accepted by every instance. <see cref="Latest"/> is this instance's own newest block. Unknown
/// hashes are answered Unknown at once; only when Redis is configured and cannot be read is a
/// lookup answered Unavailable, because the block may then exist on another instance.
/// </para>
/// </summary>
internal sealed class DevChain : IBlockFeed, IBlockFeedHealth, IChainIdSource, IBackgroundWorker
{
    private readonly ChainOptions _options;
    private readonly IBlockStore _store;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;
    private readonly Lock _produceLock = new();
    private volatile BlockInfo? _latest;

    /// <summary>Creates the chain; no block exists until <see cref="RunAsync"/> starts (or <see cref="ProduceBlockAsync"/> is called).</summary>
    public DevChain(ChainOptions options, IBlockStore store, TimeProvider timeProvider, ILogger<DevChain> logger)
    {
        _options = options;
        _store = store;
        _timeProvider = timeProvider;
        _logger = logger;
    }

    /// <inheritdoc />
    public string Name => "dev-chain";

    /// <inheritdoc />
    public BlockInfo? Latest => _latest;

    /// <inheritdoc />
    public ValueTask<BlockLookup> FindAsync(Bytes32 hash, CancellationToken cancellationToken = default) =>
        _store.FindAsync(hash, cancellationToken);

    /// <inheritdoc />
    public BlockFeedHealth GetHealth()
    {
        BlockInfo? latest = _latest;
        return BlockFeedHealth.Create(latest?.Time, 0, latest, _timeProvider.GetUtcNow(), _options.HealthyBlockAge);
    }

    /// <inheritdoc />
    public ChainIdStatus GetChainId() => ChainIdStatus.Known(_options.ChainId ?? _options.Dev.ChainId);

    /// <inheritdoc />
    public async Task RunAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(_options.Dev.BlockInterval, _timeProvider);
        try
        {
            do
            {
                await ProduceSafelyAsync(stoppingToken).ConfigureAwait(false);
            }
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping.
        }
    }

    private async Task ProduceSafelyAsync(CancellationToken stoppingToken)
    {
        try
        {
            await ProduceBlockAsync(stoppingToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
        {
            Log.WorkerFaulted(_logger, e, Name);
        }
    }

    /// <summary>Produces the next block now (the loop calls it; tests and tools may too).</summary>
    public async ValueTask<BlockInfo> ProduceBlockAsync(CancellationToken cancellationToken = default)
    {
        BlockInfo block;
        lock (_produceLock)
        {
            long height = (_latest?.Height ?? 0) + 1;
            DateTimeOffset time = _timeProvider.GetUtcNow();
            block = new BlockInfo(height, ComputeHash(_options.Dev.ChainId, height, time), time);
            _latest = block;
        }

        Log.DevBlockProduced(_logger, _options.Dev.ChainId, block.Height, block.Hash.ToUpperHex());
        await _store.AddAsync(block, cancellationToken).ConfigureAwait(false);
        return block;
    }

    /// <summary>The hash of a dev block (see the class summary).</summary>
    public static Bytes32 ComputeHash(string chainId, long height, DateTimeOffset time)
    {
        byte[] id = Encoding.UTF8.GetBytes(chainId);
        byte[] input = new byte[id.Length + 16];
        id.CopyTo(input, 0);
        BinaryPrimitives.WriteInt64BigEndian(input.AsSpan(id.Length), height);
        BinaryPrimitives.WriteInt64BigEndian(input.AsSpan(id.Length + 8), time.UtcTicks);
        return new Bytes32(SHA256.HashData(input));
    }
}
