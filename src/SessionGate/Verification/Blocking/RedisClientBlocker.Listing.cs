using SessionGate.Storage.Redis;
using StackExchange.Redis;

namespace SessionGate.Verification.Blocking;

// Listing blocks for operators: SCAN over the block keys (not the hot path).
internal sealed partial class RedisClientBlocker
{
    /// <summary>The most blocks <see cref="ListBlockedAsync"/> returns.</summary>
    internal const int MaxListed = 1000;

    private const int ScanPageSize = 1000;
    private const int MaxScanPages = 1000;

    /// <inheritdoc />
    /// <remarks>
    /// SCANs the block keys (bounded: <see cref="MaxListed"/> entries, a million keys inspected), then
    /// reads their time left in one pipelined round trip. An operator call, not for the hot path. On
    /// Redis Cluster it sees one node's blocks (see <c>ScanBlockKeysAsync</c>).
    /// </remarks>
    public async Task<IReadOnlyList<BlockedClient>> ListBlockedAsync(CancellationToken cancellationToken = default)
    {
        if (!_options.Enabled)
        {
            return [];
        }

        List<RedisKey> keys = await ScanBlockKeysAsync(cancellationToken).ConfigureAwait(false);
        if (keys.Count == 0)
        {
            return [];
        }

        TimeSpan?[] remaining = await _connection.RunAsync(
            db => Task.WhenAll(keys.Select(k => db.KeyTimeToLiveAsync(k))),
            cancellationToken).ConfigureAwait(false);
        var blocked = new List<BlockedClient>(keys.Count);
        for (int i = 0; i < keys.Count; i++)
        {
            if (remaining[i] is { } left && left > TimeSpan.Zero && _layout.TryReadClient(keys[i], out string client))
            {
                blocked.Add(new BlockedClient(client, left));
            }
        }

        blocked.Sort((a, b) => string.CompareOrdinal(a.Client, b.Client));
        return blocked;
    }

    // Async SCAN, one page per round trip, each under RunAsync's timeout (IServer.KeysAsync would
    // hide the round trips from that timeout). Bounded twice: at most MaxListed keys and MaxScanPages
    // pages (COUNT 1000 each), so a huge keyspace costs a bounded number of round trips. On Redis
    // Cluster, a keyless command reaches one node, so this lists that node's blocks only; blocking
    // itself is unaffected.
    private async Task<List<RedisKey>> ScanBlockKeysAsync(CancellationToken cancellationToken)
    {
        var keys = new List<RedisKey>();
        string cursor = "0";
        for (int page = 0; page < MaxScanPages; page++)
        {
            string current = cursor;
            RedisResult result = await _connection.RunAsync(
                db => db.ExecuteAsync("SCAN", current, "MATCH", _layout.ScanPattern, "COUNT", ScanPageSize),
                cancellationToken).ConfigureAwait(false);
            if ((RedisResult[]?)result is not [RedisResult next, RedisResult keysReply] || (RedisKey[]?)keysReply is not { } found)
            {
                throw new RedisUnavailableException("Redis returned an unexpected SCAN reply.", new FormatException("Expected {cursor, keys}."));
            }

            cursor = (string?)next ?? "0";
            foreach (RedisKey key in found)
            {
                keys.Add(key);
                if (keys.Count >= MaxListed)
                {
                    return keys;
                }
            }

            if (cursor == "0")
            {
                break;
            }
        }

        return keys;
    }
}
