using SessionGate.Storage.Redis;
using StackExchange.Redis;

namespace SessionGate.RateLimiting.Redis;

/// <summary>
/// Redis key names of the limiter: <c>&lt;prefix&gt;ratelimit:{&lt;partition&gt;}:rate</c> and
/// <c>…:day</c>. The braces make the partition the Redis Cluster hash tag, so both keys of a partition
/// live in one slot (one node) and the script may touch both atomically. Partitions are normalized
/// first (<see cref="Quotas.PartitionKey"/>): bounded length, no braces.
/// </summary>
internal sealed class QuotaKeyLayout(RedisConnection connection)
{
    /// <summary>KEYS of the script for <paramref name="key"/>: the rate key, then the day key.</summary>
    public RedisKey[] Keys(string key)
    {
        string tagged = "ratelimit:{" + key + "}:";
        return [connection.Key(tagged + "rate"), connection.Key(tagged + "day")];
    }
}
