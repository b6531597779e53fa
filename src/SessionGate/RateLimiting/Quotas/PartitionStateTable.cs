using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace SessionGate.RateLimiting.Quotas;

/// <summary>
/// Per-partition quota state in bounded memory: <see cref="ShardCount"/> shards, each a pair of
/// plain dictionaries (current and previous generation) behind its own lock. New states go to the
/// current generation; when it is full it becomes the previous one and the old previous one is
/// dropped whole; a state found in the previous generation moves back to the current one. Never more
/// than <see cref="Capacity"/> states, O(1) per decision, no background sweeping.
/// </summary>
/// <remarks>
/// <para>The same scheme as <see cref="Caching.BoundedCache{TKey, TValue}"/>, specialized because the
/// limiter must hold a lock across read-decide-write of one partition (two concurrent decisions must
/// not both spend the last token): under that per-shard lock plain dictionaries suffice, an update
/// writes the value in place, and counting is free.</para>
/// <para>There is no expiry: a state that has run its course (bucket full again, day over) decides
/// exactly like no state (see <see cref="QuotaState"/>), so keeping it is harmless and dropping it
/// (eviction) changes nothing; only memory matters, and it is bounded.</para>
/// </remarks>
internal sealed class PartitionStateTable
{
    /// <summary>Most shards (lock stripes): enough that unrelated partitions rarely contend.</summary>
    internal const int ShardCount = 64;

    private readonly Shard[] _shards;
    private readonly int _generationSize;

    /// <summary>Creates a table holding at most <paramref name="capacity"/> states (at least 2).</summary>
    public PartitionStateTable(int capacity)
    {
        capacity = Math.Max(2, capacity);
        int shards = Math.Clamp(capacity / 16, 1, ShardCount);
        _generationSize = Math.Max(1, capacity / (2 * shards));
        _shards = new Shard[shards];
        for (int i = 0; i < shards; i++)
        {
            _shards[i] = new Shard();
        }

        Capacity = shards * 2 * _generationSize;
    }

    /// <summary>The most states ever held (at most the requested capacity).</summary>
    public int Capacity { get; }

    /// <summary>States held now.</summary>
    public int Count
    {
        get
        {
            int count = 0;
            foreach (Shard shard in _shards)
            {
                lock (shard.Lock)
                {
                    count += shard.Current.Count + shard.Previous.Count;
                }
            }

            return count;
        }
    }

    /// <summary>
    /// Decides for <paramref name="key"/> at the instant <paramref name="clock"/> gives, under the
    /// key's shard lock, so concurrent decisions of one partition are serialized.
    /// </summary>
    public QuotaVerdict Decide(string key, GcraLimits limits, long cost, bool commit, TimeProvider clock)
    {
        Shard shard = _shards[(uint)key.GetHashCode() % (uint)_shards.Length];
        lock (shard.Lock)
        {
            long now = UnixMicroseconds.Now(clock);
            ref QuotaState slot = ref CollectionsMarshal.GetValueRefOrNullRef(shard.Current, key);
            if (!Unsafe.IsNullRef(ref slot))
            {
                return QuotaMath.Decide(slot, limits, cost, now, commit, out slot);
            }

            bool known = shard.Previous.Remove(key, out QuotaState state);
            QuotaVerdict verdict = QuotaMath.Decide(state, limits, cost, now, commit, out QuotaState next);
            if (known || next != default)
            {
                if (shard.Current.Count >= _generationSize)
                {
                    (shard.Previous, shard.Current) = (shard.Current, shard.Previous);
                    shard.Current.Clear();
                }

                shard.Current[key] = next;
            }

            return verdict;
        }
    }

    private sealed class Shard
    {
        public Lock Lock { get; } = new();

        public Dictionary<string, QuotaState> Current { get; set; } = new(StringComparer.Ordinal);

        public Dictionary<string, QuotaState> Previous { get; set; } = new(StringComparer.Ordinal);
    }
}
