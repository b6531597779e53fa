namespace SessionGate.Usage;

/// <summary>
/// This instance's per-second counters: a ring of one bucket per second (the window plus a few
/// seconds of slack for flushing), each with overall counts and counts per account. Memory is bounded
/// whatever clients send: at most <see cref="MaxAccountsPerSecond"/> accounts per second are tracked
/// individually; traffic of further accounts in that second is counted in the overall figures only.
/// </summary>
/// <remarks>
/// Every request records here, from every thread-pool thread: one lock for all of them was contended
/// under load (issue 12 profile: <c>Lock.TryEnterSlow</c> under <c>Record</c>, 8 µs/request with Redis),
/// so the counters are striped. An account always records into the same stripe (by its hash), so its
/// counts of a second live in one place; anonymous requests use the calling thread's stripe. Readers
/// merge the stripes. The account cap is shared by all stripes (one atomic count per second).
/// </remarks>
internal sealed class UsageCounters
{
    /// <summary>Default cap of accounts tracked per second.</summary>
    public const int DefaultMaxAccountsPerSecond = 10_000;

    private const int Slots = UsageWindow.Seconds + 8;

    private readonly Stripe[] _stripes;
    private readonly int _stripeMask;

    // Per ring slot: the second it counts (high 32 bits, truncated) and how many accounts are tracked
    // in that second across all stripes (low 32 bits), updated with compare-and-swap.
    private readonly long[] _trackedAccounts = new long[Slots];
    private readonly TimeProvider _time;

    public UsageCounters(TimeProvider time, int maxAccountsPerSecond = DefaultMaxAccountsPerSecond)
    {
        ArgumentNullException.ThrowIfNull(time);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxAccountsPerSecond, 1);
        _time = time;
        MaxAccountsPerSecond = maxAccountsPerSecond;
        int stripes = (int)Math.Clamp(System.Numerics.BitOperations.RoundUpToPowerOf2((uint)Environment.ProcessorCount * 2), 4, 64);
        _stripeMask = stripes - 1;
        _stripes = new Stripe[stripes];
        for (int i = 0; i < stripes; i++)
        {
            _stripes[i] = new Stripe();
        }

        Array.Fill(_trackedAccounts, Pack(long.MinValue, 0));
    }

    /// <summary>Most accounts counted individually in one second.</summary>
    public int MaxAccountsPerSecond { get; }

    /// <summary>The current second (Unix time).</summary>
    public long CurrentSecond => _time.GetUtcNow().ToUnixTimeSeconds();

    /// <summary>The clock these counters use.</summary>
    public TimeProvider Time => _time;

    public void Record(string? account, bool rejected, bool shadowRejected = false)
    {
        long second = CurrentSecond;
        Stripe stripe = _stripes[(account is null ? Environment.CurrentManagedThreadId : account.GetHashCode()) & _stripeMask];
        lock (stripe.Lock)
        {
            Bucket bucket = stripe.BucketFor(second);
            bucket.Requests++;
            if (rejected)
            {
                bucket.Rejected++;
            }

            if (shadowRejected)
            {
                bucket.ShadowRejected++;
            }

            if (account is null)
            {
                return;
            }

            if (!bucket.Accounts.TryGetValue(account, out Counts? counts))
            {
                if (!TryTrackAccount(second))
                {
                    return;
                }

                counts = new Counts();
                bucket.Accounts.Add(account, counts);
            }

            counts.Requests++;
            if (rejected)
            {
                counts.Rejected++;
            }

            if (shadowRejected)
            {
                counts.ShadowRejected++;
            }
        }
    }

    /// <summary>
    /// Removes and returns the counts of completed seconds (before the current one) still within the
    /// window, for a flush to shared storage. Counts recorded later for such a second (a clock that
    /// stepped back) are returned by a later call.
    /// </summary>
    public IReadOnlyList<SecondCounts> TakeCompleted()
    {
        long now = CurrentSecond;
        var taken = new Dictionary<long, (long Requests, long Rejected, long ShadowRejected, List<AccountCounts> Accounts)>();
        foreach (Stripe stripe in _stripes)
        {
            lock (stripe.Lock)
            {
                foreach (Bucket bucket in stripe.Buckets)
                {
                    if (bucket.Second < now && bucket.Second > now - Slots && bucket.Requests > 0)
                    {
                        (long requests, long rejected, long shadowRejected, List<AccountCounts> accounts) = taken.TryGetValue(bucket.Second, out var sum) ? sum : (0, 0, 0, []);
                        accounts.AddRange(bucket.Accounts.Select(a => new AccountCounts(a.Key, a.Value.Requests, a.Value.Rejected) { ShadowRejected = a.Value.ShadowRejected }));
                        taken[bucket.Second] = (requests + bucket.Requests, rejected + bucket.Rejected, shadowRejected + bucket.ShadowRejected, accounts);
                        bucket.Clear(bucket.Second);
                    }
                }
            }
        }

        foreach (long second in taken.Keys)
        {
            // As when one dictionary held a second's accounts: taking them frees their places under the cap.
            ref long slot = ref _trackedAccounts[SlotOf(second)];
            long current = Volatile.Read(ref slot);
            if (SecondOf(current) == (int)second)
            {
                Interlocked.CompareExchange(ref slot, Pack(second, 0), current);
            }
        }

        var result = taken.Select(t => new SecondCounts(t.Key, t.Value.Requests, t.Value.Rejected, t.Value.Accounts.ToArray()) { ShadowRejected = t.Value.ShadowRejected }).ToList();
        result.Sort((a, b) => a.Second.CompareTo(b.Second));
        return result;
    }

    /// <summary>The counts held here for the window ending with the current second.</summary>
    public UsageSnapshot Snapshot()
    {
        DateTimeOffset time = _time.GetUtcNow();
        long last = time.ToUnixTimeSeconds();
        var aggregate = new UsageAggregate(last);
        foreach (Stripe stripe in _stripes)
        {
            lock (stripe.Lock)
            {
                foreach (Bucket bucket in stripe.Buckets)
                {
                    if (!aggregate.Covers(bucket.Second) || bucket.Requests == 0)
                    {
                        continue;
                    }

                    aggregate.AddOverall(bucket.Second, bucket.Requests, bucket.Rejected, bucket.ShadowRejected);
                    foreach ((string account, Counts counts) in bucket.Accounts)
                    {
                        aggregate.AddAccount(account, bucket.Second, counts.Requests, counts.Rejected, counts.ShadowRejected);
                    }
                }
            }
        }

        return aggregate.ToSnapshot(time);
    }

    // Takes one of the second's places for individually tracked accounts, if any is left.
    private bool TryTrackAccount(long second)
    {
        ref long slot = ref _trackedAccounts[SlotOf(second)];
        while (true)
        {
            long current = Volatile.Read(ref slot);
            long next;
            if (SecondOf(current) != (int)second)
            {
                next = Pack(second, 1);   // the first account of a new second in this slot
            }
            else if ((int)(current & 0xFFFF_FFFF) >= MaxAccountsPerSecond)
            {
                return false;
            }
            else
            {
                next = current + 1;
            }

            if (Interlocked.CompareExchange(ref slot, next, current) == current)
            {
                return true;
            }
        }
    }

    private static int SlotOf(long second) => (int)(((second % Slots) + Slots) % Slots);

    private static long Pack(long second, int count) => ((long)(int)second << 32) | (uint)count;

    private static int SecondOf(long packed) => (int)(packed >> 32);

    private sealed class Stripe
    {
        public Stripe()
        {
            for (int i = 0; i < Slots; i++)
            {
                Buckets[i] = new Bucket();
            }
        }

        public Lock Lock { get; } = new();

        public Bucket[] Buckets { get; } = new Bucket[Slots];

        public Bucket BucketFor(long second)
        {
            Bucket bucket = Buckets[SlotOf(second)];
            if (bucket.Second != second)
            {
                bucket.Clear(second);
            }

            return bucket;
        }
    }

    private sealed class Bucket
    {
        public long Second { get; private set; } = long.MinValue;

        public long Requests { get; set; }

        public long Rejected { get; set; }

        public long ShadowRejected { get; set; }

        public Dictionary<string, Counts> Accounts { get; } = new(StringComparer.Ordinal);

        public void Clear(long second)
        {
            Second = second;
            Requests = 0;
            Rejected = 0;
            ShadowRejected = 0;
            Accounts.Clear();
        }
    }

    private sealed class Counts
    {
        public long Requests { get; set; }

        public long Rejected { get; set; }

        public long ShadowRejected { get; set; }
    }
}

/// <summary>The counts of one completed second, as flushed to shared storage.</summary>
internal sealed record SecondCounts(long Second, long Requests, long Rejected, IReadOnlyList<AccountCounts> Accounts)
{
    /// <summary>Would-be refusals served in shadow mode.</summary>
    public long ShadowRejected { get; init; }
}

/// <summary>One account's counts in one second.</summary>
internal sealed record AccountCounts(string Account, long Requests, long Rejected)
{
    /// <summary>Would-be refusals served in shadow mode.</summary>
    public long ShadowRejected { get; init; }
}
