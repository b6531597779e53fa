using System.Diagnostics.CodeAnalysis;
using Microsoft.Extensions.Logging;
using SessionGate.Protocol;
using SessionGate.Storage.Redis;
using StackExchange.Redis;

namespace SessionGate.Chain;

/// <summary>
/// Blocks shared by every gateway instance through Redis, with an <see cref="InMemoryBlockStore"/>
/// in front so known blocks are answered synchronously, without Redis, on the hot path.
/// Key layout (after the connection's prefix, default <c>sessiongate:</c>):
/// <list type="bullet">
/// <item><c>chain:{ns}:block:{HASH}</c> → <c>{height}:{utcTicks}:{HASH}</c>, expiring (PX) when the block
/// leaves the retention;</item>
/// <item><c>chain:{ns}:latest</c> → the same record for the highest block any instance saw, replaced
/// only by a higher one (atomically, in Lua), expiring after the retention.</item>
/// </list>
/// <c>{ns}</c> is <c>tendermint</c>, or <c>dev:{ChainId}</c> for the dev chain, so a deployment that
/// switches from Dev to Tendermint on the same Redis never accepts dev blocks. Each command touches
/// one key, so this works on Redis Cluster. Reads are one GET. Writes are in <c>RedisBlockStore.Writes.cs</c>.
/// </summary>
internal sealed partial class RedisBlockStore : IBlockStore
{
    private readonly RedisConnection _connection;
    private readonly InMemoryBlockStore _local;
    private readonly TimeSpan _retention;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;
    private readonly string _namespace;
    private readonly RedisKey _latestKey;

    /// <summary>Creates the store; <paramref name="options"/> decides the retention and the key namespace.</summary>
    public RedisBlockStore(RedisConnection connection, ChainOptions options, TimeProvider timeProvider, ILogger<RedisBlockStore> logger)
    {
        _connection = connection;
        _retention = options.Retention;
        _timeProvider = timeProvider;
        _logger = logger;
        _local = new InMemoryBlockStore(options.Retention, timeProvider);
        _namespace = options.Mode == ChainMode.Dev ? $"chain:dev:{options.Dev.ChainId}:" : "chain:tendermint:";
        _latestKey = connection.Key(_namespace + "latest");
    }

    /// <inheritdoc />
    public BlockInfo? Latest => _local.Latest;

    /// <inheritdoc />
    public bool IsShared => true;

    /// <summary>The Redis key of a block (exposed for tests and operators).</summary>
    public RedisKey BlockKey(Bytes32 hash) => _connection.Key(_namespace + "block:" + hash.ToUpperHex());

    /// <summary>The Redis key of the newest block.</summary>
    public RedisKey LatestKey => _latestKey;

    /// <inheritdoc />
    public bool TryGetLocal(Bytes32 hash, [MaybeNullWhen(false)] out BlockInfo block) => _local.TryGetLocal(hash, out block);

    /// <inheritdoc />
    public ValueTask<BlockLookup> FindAsync(Bytes32 hash, CancellationToken cancellationToken) =>
        _local.TryGetLocal(hash, out BlockInfo? block)
            ? new ValueTask<BlockLookup>(BlockLookup.Found(block))
            : FindSharedAsync(hash, cancellationToken);

    /// <inheritdoc />
    public async ValueTask<BlockInfo?> RefreshLatestAsync(CancellationToken cancellationToken)
    {
        BlockInfo? shared = await ReadAsync(_latestKey, cancellationToken).ConfigureAwait(false);
        if (shared is not null)
        {
            _local.Add(shared);
        }

        return _local.Latest;
    }

    private async ValueTask<BlockLookup> FindSharedAsync(Bytes32 hash, CancellationToken cancellationToken)
    {
        RedisKey key = BlockKey(hash);
        RedisValue value;
        try
        {
            value = await _connection.RunAsync(db => db.StringGetAsync(key), cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (!IsCancellation(e, cancellationToken))
        {
            Log.StoreReadFailed(_logger, e.Message);
            return BlockLookup.Unavailable;
        }

        if (value.IsNull)
        {
            return BlockLookup.Unknown;
        }

        if (!BlockRecordFormat.TryParse(value, out BlockInfo? block) || block!.Hash != hash)
        {
            Log.StoredValueMalformed(_logger, key.ToString());
            return BlockLookup.Unknown;
        }

        _local.Add(block);
        return BlockLookup.Found(block);
    }

    private async ValueTask<BlockInfo?> ReadAsync(RedisKey key, CancellationToken cancellationToken)
    {
        try
        {
            RedisValue value = await _connection.RunAsync(db => db.StringGetAsync(key), cancellationToken).ConfigureAwait(false);
            if (value.IsNull)
            {
                return null;
            }

            if (BlockRecordFormat.TryParse(value, out BlockInfo? block))
            {
                return block;
            }

            Log.StoredValueMalformed(_logger, key.ToString());
            return null;
        }
        catch (Exception e) when (!IsCancellation(e, cancellationToken))
        {
            Log.StoreReadFailed(_logger, e.Message);
            return null;
        }
    }

    private static bool IsCancellation(Exception e, CancellationToken cancellationToken) =>
        e is OperationCanceledException && cancellationToken.IsCancellationRequested;
}
