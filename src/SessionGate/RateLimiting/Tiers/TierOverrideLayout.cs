using SessionGate.Storage.Redis;
using StackExchange.Redis;

namespace SessionGate.RateLimiting.Tiers;

/// <summary>
/// Redis names of the tier overrides (all under <see cref="RedisOptions.KeyPrefix"/>):
/// <list type="bullet">
/// <item><c>{tiers}:overrides</c> — hash, field = account (lowercase), value = tier name;</item>
/// <item><c>{tiers}:generation</c> — integer, INCR on every change (the poll backstop);</item>
/// <item>pub/sub channel <c>tiers:changed</c> — one message per change: <c>&lt;generation&gt;:&lt;account&gt;:&lt;tier&gt;</c>
/// (empty tier = removed).</item>
/// </list>
/// </summary>
/// <remarks>
/// One hash rather than a key per account: every instance holds all overrides in memory (so the
/// request path never reads Redis, for accounts with or without an override), and a full reload is
/// one HGETALL. Overrides are set by operators, so the hash stays small (at most
/// <see cref="RedisTierOverrideStoreOptions.MaxOverrides"/> fields, enforced by the write script).
/// The shared hash tag <c>{tiers}</c> puts the hash and the counter in one Redis Cluster slot so a
/// write, its counter bump and its notification are one atomic script.
/// </remarks>
internal sealed class TierOverrideLayout
{
    public TierOverrideLayout(RedisConnection connection)
    {
        string prefix = connection.Options.KeyPrefix;
        int open = prefix.IndexOf('{', StringComparison.Ordinal);
        if (open >= 0 && open + 1 < prefix.Length && prefix[open + 1] == '}')
        {
            throw new ArgumentException($"Redis key prefix '{prefix}' holds an empty hash tag '{{}}', which would scatter the tier overrides across cluster slots.", nameof(connection));
        }

        Overrides = connection.Key("{tiers}:overrides");
        Generation = connection.Key("{tiers}:generation");
        Channel = new RedisChannel(prefix + "tiers:changed", RedisChannel.PatternMode.Literal);
    }

    /// <summary>The hash of overrides.</summary>
    public RedisKey Overrides { get; }

    /// <summary>The change counter.</summary>
    public RedisKey Generation { get; }

    /// <summary>The change notification channel.</summary>
    public RedisChannel Channel { get; }

    /// <summary>
    /// Sets (ARGV[2] non-empty) or removes (ARGV[2] empty) the override of account ARGV[1]; bumps the
    /// counter and publishes on channel ARGV[3] only when something changed. Refuses a new field once
    /// the hash holds ARGV[4] fields. Returns {code, generation}: code 0 = done (generation 0 when
    /// nothing changed), 1 = full.
    /// </summary>
    public const string SetScript = """
        local current = redis.call('HGET', KEYS[1], ARGV[1])
        if ARGV[2] == '' then
          if not current then return {0, 0} end
          redis.call('HDEL', KEYS[1], ARGV[1])
        else
          if current == ARGV[2] then return {0, 0} end
          if not current and redis.call('HLEN', KEYS[1]) >= tonumber(ARGV[4]) then return {1, 0} end
          redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
        end
        local generation = redis.call('INCR', KEYS[2])
        redis.call('PUBLISH', ARGV[3], generation .. ':' .. ARGV[1] .. ':' .. ARGV[2])
        return {0, generation}
        """;
}
