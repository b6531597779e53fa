using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace SessionGate.RateLimiting.Quotas;

/// <summary>
/// Per-partition quota state in bounded memory that never forgets a partition which still restricts
/// someone. <see cref="ShardCount"/> shards, each a dictionary behind its own lock with room for
/// <see cref="Capacity"/> / shards states. A state is <em>at rest</em> when it decides exactly like no
/// state (bucket full again, no usage today; see <see cref="QuotaState"/>): only such states are ever
/// dropped, by a sweep of a full shard (at most once a second per shard, and only once the shard's
/// earliest rest time has passed). When a shard is full of states that still restrict someone, a new
/// partition is decided on the shard's <em>aggregate</em> state for its limits instead of a state of
/// its own: all such newcomers share one budget, so a flood of new clients limits itself and cannot
/// reset, by eviction, an exhausted account's day or bucket.
/// </summary>
/// <remarks>
/// <para>The limiter must hold a lock across read-decide-write of one partition (two concurrent
/// decisions must not both spend the last token): under that per-shard lock plain dictionaries suffice,
/// an update writes the value in place, and counting is free.</para>
/// <para>A newcomer that later gets a state of its own starts from the aggregate it was decided on
/// while that still restricts, so moving out of the aggregate forgets nothing either. Aggregates are
/// one per distinct limits (tiers, anonymous) and shard, at most <see cref="MaxAggregatesPerShard"/>.</para>
/// </remarks>
internal sealed class PartitionStateTable
{
    /// <summary>Most shards (lock stripes): enough that unrelated partitions rarely contend.</summary>
    internal const int ShardCount = 64;

    /// <summary>Distinct limits with an aggregate of their own per shard; beyond, newcomers share one more.</summary>
    internal const int MaxAggregatesPerShard = 32;

    private const long SweepIntervalMicros = 1_000_000;

    private readonly Shard[] _shards;
    private readonly int _shardCapacity;
    private long _aggregated;

    /// <summary>Creates a table holding at most <paramref name="capacity"/> partition states (at least 2).</summary>
    public PartitionStateTable(int capacity)
    {
        capacity = Math.Max(2, capacity);
        int shards = Math.Clamp(capacity / 16, 1, ShardCount);
        _shardCapacity = Math.Max(1, capacity / shards);
        _shards = new Shard[shards];
        for (int i = 0; i < shards; i++)
        {
            _shards[i] = new Shard();
        }

        Capacity = shards * _shardCapacity;
    }

    /// <summary>The most partition states ever held (at most the requested capacity).</summary>
    public int Capacity { get; }

    /// <summary>Partition states held now (aggregates not included).</summary>
    public int Count
    {
        get
        {
            int count = 0;
            foreach (Shard shard in _shards)
            {
                lock (shard.Lock)
                {
                    count += shard.States.Count;
                }
            }

            return count;
        }
    }

    /// <summary>Decisions taken on an aggregate because a shard was full of restricting states (for tests and figures).</summary>
    public long AggregatedDecisions => Interlocked.Read(ref _aggregated);

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
            ref QuotaState slot = ref CollectionsMarshal.GetValueRefOrNullRef(shard.States, key);
            QuotaVerdict verdict;
            if (!Unsafe.IsNullRef(ref slot))
            {
                verdict = QuotaMath.Decide(slot, limits, cost, now, commit, out slot);
                shard.NoteRest(slot);
                return verdict;
            }

            // A newcomer starts from its limits' aggregate while that still restricts (it may have been
            // decided there before), else from nothing.
            QuotaState start = shard.Aggregates.TryGetValue(limits, out QuotaState aggregate) && !IsAtRest(aggregate, now) ? aggregate : default;
            if (shard.States.Count < _shardCapacity || Sweep(shard, now))
            {
                verdict = QuotaMath.Decide(start, limits, cost, now, commit, out QuotaState next);
                if (next != default)
                {
                    shard.States[key] = next;
                    shard.NoteRest(next);
                }

                return verdict;
            }

            // Full of states that still restrict someone: decide on the aggregate, forget nobody.
            Interlocked.Increment(ref _aggregated);
            ref QuotaState shared = ref shard.AggregateOf(limits);
            verdict = QuotaMath.Decide(shared, limits, cost, now, commit, out shared);
            shard.NoteRest(shared);
            return verdict;
        }
    }

    /// <summary>The instant from which <paramref name="state"/> decides like no state: bucket full, no usage counted today.</summary>
    internal static long RestsAt(QuotaState state) =>
        state.Used > 0 ? Math.Max(state.Tat, (state.Day + 1) * UnixMicroseconds.PerDay) : state.Tat;

    private static bool IsAtRest(QuotaState state, long now) => RestsAt(state) <= now;

    // Drops the shard's states at rest; true when that made room. Runs only when some state may have
    // come to rest since the last sweep and at most once per interval, so a shard full of restricting
    // states costs a flood one comparison per request, not a scan.
    private bool Sweep(Shard shard, long now)
    {
        if (now < shard.NextRest || now - shard.LastSweep < SweepIntervalMicros)
        {
            return false;
        }

        shard.LastSweep = now;
        long nextRest = long.MaxValue;
        foreach (KeyValuePair<string, QuotaState> entry in shard.States)
        {
            long rest = RestsAt(entry.Value);
            if (rest <= now)
            {
                shard.States.Remove(entry.Key);
            }
            else
            {
                nextRest = Math.Min(nextRest, rest);
            }
        }

        foreach (KeyValuePair<GcraLimits, QuotaState> entry in shard.Aggregates)
        {
            long rest = RestsAt(entry.Value);
            if (rest <= now)
            {
                shard.Aggregates.Remove(entry.Key);
            }
            else
            {
                nextRest = Math.Min(nextRest, rest);
            }
        }

        shard.NextRest = nextRest;
        return shard.States.Count < _shardCapacity;
    }

    private sealed class Shard
    {
        public Lock Lock { get; } = new();

        public Dictionary<string, QuotaState> States { get; } = new(StringComparer.Ordinal);

        public Dictionary<GcraLimits, QuotaState> Aggregates { get; } = [];

        /// <summary>No state of this shard rests before this instant (a lower bound: exact after a sweep).</summary>
        public long NextRest { get; set; } = long.MaxValue;

        public long LastSweep { get; set; } = long.MinValue / 2;

        public void NoteRest(QuotaState state) => NextRest = Math.Min(NextRest, RestsAt(state));

        public ref QuotaState AggregateOf(GcraLimits limits)
        {
            // Limits come from configuration (tiers, anonymous), so they are few; past the cap the
            // default key collects the rest.
            GcraLimits key = Aggregates.Count < MaxAggregatesPerShard || Aggregates.ContainsKey(limits) ? limits : default;
            return ref CollectionsMarshal.GetValueRefOrAddDefault(Aggregates, key, out _);
        }
    }
}
