using SessionGate.Storage.Redis;
using StackExchange.Redis;

namespace SessionGate.RateLimiting.Redis;

/// <summary>
/// Redis key names of the limiter. An account (or any non-address) partition:
/// <c>&lt;prefix&gt;ratelimit:{&lt;partition&gt;}:rate</c> and <c>…:day</c>. An anonymous address
/// partition (<c>ip:…</c>): <c>ratelimit:{anon:&lt;bucket&gt;}:rate:&lt;partition&gt;</c> (its own rate
/// bucket, which expires as soon as it is full again) and <c>ratelimit:{anon:&lt;bucket&gt;}:day</c>
/// (the daily budget shared by every address of its bucket, see <see cref="AnonymousDayBuckets"/>), so
/// the number of day keys is bounded whatever addresses call. The braces are the Redis Cluster hash
/// tag: both keys of a decision live in one slot (one node), so the script may touch both atomically.
/// Partitions are normalized first (<see cref="Quotas.PartitionKey"/>): bounded length, no braces.
/// </summary>
internal sealed class QuotaKeyLayout(RedisConnection connection, AnonymousDayBuckets anonymousDays)
{
    /// <summary>KEYS of the script for <paramref name="key"/>: the rate key, then the day key.</summary>
    public RedisKey[] Keys(string key)
    {
        if (anonymousDays.BucketOf(key) is { } bucket)
        {
            string shared = "ratelimit:{" + bucket + "}:";
            return [connection.Key(shared + "rate:" + key), connection.Key(shared + "day")];
        }

        string tagged = "ratelimit:{" + key + "}:";
        return [connection.Key(tagged + "rate"), connection.Key(tagged + "day")];
    }
}
