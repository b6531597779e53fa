using SessionGate.Storage.Redis;
using StackExchange.Redis;

namespace SessionGate.Keys.Redis;

/// <summary>
/// Redis key names of the signer-key directory (all under <see cref="RedisOptions.KeyPrefix"/>):
/// <list type="bullet">
/// <item><c>{keys}:key:&lt;hex&gt;</c> — hash, one per public key (64 lowercase hex digits, no 0x), fields in <see cref="SignerKeyHash"/>;</item>
/// <item><c>{keys}:account:&lt;account&gt;</c> — sorted set of the account's keys, every score 0 and the hex
/// as member, so rank order is the keys' byte order and ZRANGE by rank pages it;</item>
/// <item><c>{keys}:generation</c> — integer, INCR on every change (the poll backstop);</item>
/// <item>pub/sub channel <c>keys:changed</c> — one message per change, <c>&lt;generation&gt;:&lt;hex&gt;</c>.</item>
/// </list>
/// </summary>
/// <remarks>
/// <para><b>Why every directory key shares the hash tag <c>{keys}</c> (Redis Cluster).</b> A write must
/// check and change the key record, the owner's index and the change counter together. Tagged by public
/// key and by account they would sit in different slots, and a cluster refuses a script touching keys
/// of several slots; the write would become a sequence of one-slot steps (record, then index, then
/// counter and notification), and a crash or timeout between steps leaves a key missing from its
/// account's listing or, worse, changed without any instance being told, so stale until the cache
/// TTL. We keep one Lua script per write, atomic with its notification, by putting the whole
/// directory in one slot.</para>
/// <para>The price is that the directory lives on one cluster shard. That fits its load: writes come at
/// operator/registration rate, and the request hot path reads the local cache, reaching Redis only on a
/// miss (one HGETALL); floods of unknown keys are absorbed by the negative cache and by client blocking.
/// Memory is roughly 300 bytes per key, so a million keys is a few hundred MB on that shard. If the
/// directory ever outgrows one shard, the split is: record tagged by key (ownership decided there in
/// one script, so one key / one account stays atomic), index and counter written after it and repaired
/// by idempotent re-registration.</para>
/// <para>The prefix comes first, so a prefix that itself holds a hash tag (<c>app{x}:</c>) puts every
/// key in that tag's slot instead, which keeps the scripts valid. A prefix with an empty tag (<c>{}</c>
/// right after its first <c>{</c>) would make Redis hash whole key names, so it is refused.</para>
/// <para>Checked against a real (one-node) Redis Cluster, where both StackExchange.Redis and Redis
/// refuse multi-slot scripts: tests/SessionGate.IntegrationTests/Keys/ClusterSlotTests.cs.</para>
/// </remarks>
internal sealed class KeyDirectoryLayout
{
    private readonly RedisConnection _connection;

    public KeyDirectoryLayout(RedisConnection connection)
    {
        string prefix = connection.Options.KeyPrefix;
        int open = prefix.IndexOf('{', StringComparison.Ordinal);
        if (open >= 0 && open + 1 < prefix.Length && prefix[open + 1] == '}')
        {
            throw new ArgumentException($"Redis key prefix '{prefix}' holds an empty hash tag '{{}}', which would scatter the signer-key directory across cluster slots.", nameof(connection));
        }

        _connection = connection;
        Generation = connection.Key("{keys}:generation");
        Channel = new RedisChannel(prefix + "keys:changed", RedisChannel.PatternMode.Literal);
    }

    /// <summary>The change counter.</summary>
    public RedisKey Generation { get; }

    /// <summary>The change notification channel (not a key: channels have no slot).</summary>
    public RedisChannel Channel { get; }

    /// <summary>The record of the key whose lowercase hex is <paramref name="hex"/>.</summary>
    public RedisKey Record(string hex) => _connection.Key("{keys}:key:" + hex);

    /// <summary>The index of an account's keys (account already normalized).</summary>
    public RedisKey AccountIndex(string account) => _connection.Key("{keys}:account:" + account);
}
