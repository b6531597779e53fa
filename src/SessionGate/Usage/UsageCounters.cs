namespace SessionGate.Usage;

/// <summary>
/// This instance's per-second counters: a ring of one bucket per second (the window plus a few
/// seconds of slack for flushing), each with overall counts and counts per account. Memory is bounded
/// whatever clients send: at most <see cref="MaxAccountsPerSecond"/> accounts per second are tracked
/// individually; traffic of further accounts in that second is counted in the overall figures only.
/// One uncontended lock per request is far cheaper than the limiter decision it follows.
/// </summary>
internal sealed class UsageCounters
{
    /// <summary>Default cap of accounts tracked per second.</summary>
    public const int DefaultMaxAccountsPerSecond = 10_000;

    private const int Slots = UsageWindow.Seconds + 8;

    private readonly Lock _lock = new();
    private readonly Bucket[] _buckets = new Bucket[Slots];
    private readonly TimeProvider _time;

    public UsageCounters(TimeProvider time, int maxAccountsPerSecond = DefaultMaxAccountsPerSecond)
    {
        ArgumentNullException.ThrowIfNull(time);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxAccountsPerSecond, 1);
        _time = time;
        MaxAccountsPerSecond = maxAccountsPerSecond;
        for (int i = 0; i < Slots; i++)
        {
            _buckets[i] = new Bucket();
        }
    }

    /// <summary>Most accounts counted individually in one second.</summary>
    public int MaxAccountsPerSecond { get; }

    /// <summary>The current second (Unix time).</summary>
    public long CurrentSecond => _time.GetUtcNow().ToUnixTimeSeconds();

    /// <summary>The clock these counters use.</summary>
    public TimeProvider Time => _time;

    public void Record(string? account, bool rejected)
    {
        long second = CurrentSecond;
        lock (_lock)
        {
            Bucket bucket = BucketFor(second);
            bucket.Requests++;
            if (rejected)
            {
                bucket.Rejected++;
            }

            if (account is null)
            {
                return;
            }

            if (!bucket.Accounts.TryGetValue(account, out Counts? counts))
            {
                if (bucket.Accounts.Count >= MaxAccountsPerSecond)
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
        var taken = new List<SecondCounts>();
        lock (_lock)
        {
            foreach (Bucket bucket in _buckets)
            {
                if (bucket.Second < now && bucket.Second > now - Slots && bucket.Requests > 0)
                {
                    taken.Add(new SecondCounts(bucket.Second, bucket.Requests, bucket.Rejected,
                        bucket.Accounts.Select(a => new AccountCounts(a.Key, a.Value.Requests, a.Value.Rejected)).ToArray()));
                    bucket.Clear(bucket.Second);
                }
            }
        }

        taken.Sort((a, b) => a.Second.CompareTo(b.Second));
        return taken;
    }

    /// <summary>The counts held here for the window ending with the current second.</summary>
    public UsageSnapshot Snapshot()
    {
        DateTimeOffset time = _time.GetUtcNow();
        long last = time.ToUnixTimeSeconds();
        var aggregate = new UsageAggregate(last);
        lock (_lock)
        {
            foreach (Bucket bucket in _buckets)
            {
                if (!aggregate.Covers(bucket.Second) || bucket.Requests == 0)
                {
                    continue;
                }

                aggregate.AddOverall(bucket.Second, bucket.Requests, bucket.Rejected);
                foreach ((string account, Counts counts) in bucket.Accounts)
                {
                    aggregate.AddAccount(account, bucket.Second, counts.Requests, counts.Rejected);
                }
            }
        }

        return aggregate.ToSnapshot(time);
    }

    private Bucket BucketFor(long second)
    {
        Bucket bucket = _buckets[(int)(((second % Slots) + Slots) % Slots)];
        if (bucket.Second != second)
        {
            bucket.Clear(second);
        }

        return bucket;
    }

    private sealed class Bucket
    {
        public long Second { get; private set; } = long.MinValue;

        public long Requests { get; set; }

        public long Rejected { get; set; }

        public Dictionary<string, Counts> Accounts { get; } = new(StringComparer.Ordinal);

        public void Clear(long second)
        {
            Second = second;
            Requests = 0;
            Rejected = 0;
            Accounts.Clear();
        }
    }

    private sealed class Counts
    {
        public long Requests { get; set; }

        public long Rejected { get; set; }
    }
}

/// <summary>The counts of one completed second, as flushed to shared storage.</summary>
internal sealed record SecondCounts(long Second, long Requests, long Rejected, IReadOnlyList<AccountCounts> Accounts);

/// <summary>One account's counts in one second.</summary>
internal sealed record AccountCounts(string Account, long Requests, long Rejected);
