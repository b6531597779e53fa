using System.Collections.Concurrent;
using SessionGate.RateLimiting.Quotas;

namespace SessionGate.RateLimiting.Redis;

/// <summary>
/// The blocks of permits this instance holds, one per account partition, leased from the shared
/// bucket by <see cref="RedisQuotaLimiter"/> and spent here without Redis. A spend takes a tiny lock
/// on its partition's entry and allocates nothing. The table holds at most
/// <see cref="RateLimitingOptions.MaxLocalPartitions"/> entries (beyond that, new accounts decide
/// without leasing until expired entries are swept).
/// </summary>
/// <remarks>
/// <para>Block size (<see cref="BlockFor"/>): min(MaxBlock, Duration ÷ emission interval (what the
/// account earns in one lease time), Burst ÷ (InstanceCount × BurstDivisor)); below 2 there is no
/// leasing and every decision is a single script call as before. So all instances together hold at
/// most Burst ÷ BurstDivisor units (the under-admission bound), and a block that lapses unreturned is
/// refilled by the bucket itself within one Duration.</para>
/// <para>Permits are taken from the shared bucket before they are spent, so leasing never admits more
/// than the limit; a block is only spent under the <see cref="QuotaPolicy"/> it was leased under (a
/// tier change drops it: under-admission only), before it expires, and never past the UTC day its
/// daily units were taken from.</para>
/// </remarks>
internal sealed class PermitLeases(LeaseOptions options, int instances, int maxPartitions, TimeProvider timeProvider)
{
    private readonly ConcurrentDictionary<string, Entry> _entries = new(StringComparer.Ordinal);
    private readonly long _durationTicks = (long)(options.Duration.TotalSeconds * timeProvider.TimestampFrequency);
    private readonly long _durationMicros = (long)(options.Duration.Ticks / TimeSpan.TicksPerMicrosecond);

    /// <summary>Entries held (tests).</summary>
    internal int Count => _entries.Count;

    /// <summary>
    /// Units to lease for <paramref name="key"/> under <paramref name="policy"/>, or 0 for none: an
    /// anonymous address partition (per-address rates are small and addresses many), or limits too
    /// small for a block of 2 (see the remarks).
    /// </summary>
    public long BlockFor(string key, QuotaPolicy policy, GcraLimits limits)
    {
        if (!options.Enabled || PartitionKey.AddressOf(key) is not null)
        {
            return 0;
        }

        long byRate = _durationMicros / limits.EmissionInterval;
        long byBurst = policy.Burst / ((long)instances * options.BurstDivisor);
        long block = Math.Min(options.MaxBlock, Math.Min(byRate, byBurst));
        return block >= 2 ? block : 0;
    }

    /// <summary>
    /// Spends <paramref name="cost"/> from the block held for <paramref name="key"/>, when it holds
    /// enough under <paramref name="policy"/>; else, with <paramref name="repeatRefusal"/>, repeats the
    /// refusal remembered for it when that still holds (see <see cref="RememberRefusal"/>): same policy,
    /// a cost at least the refused one, its time not over. The shared bucket cannot have room before
    /// then (time only refills it, other instances only take from it; a give-back could credit a few
    /// units earlier: under-admission only). One lookup and one lock either way.
    /// </summary>
    public bool TryDecide(string key, QuotaPolicy policy, long cost, bool repeatRefusal, out QuotaDecision decision)
    {
        decision = default;
        if (!_entries.TryGetValue(key, out Entry? entry))
        {
            return false;
        }

        long now = timeProvider.GetTimestamp();
        lock (entry)
        {
            if (entry.Held >= cost && now < entry.ExpiresAt && SamePolicy(entry.Policy, policy))
            {
                entry.Held -= cost;
                entry.Spent += cost;
                decision = entry.Describe(now, timeProvider.TimestampFrequency);
                return true;
            }

            if (repeatRefusal && now < entry.RefusedUntil && cost >= entry.RefusedCost && SamePolicy(entry.RefusalPolicy, policy))
            {
                decision = entry.RepeatRefusal(timeProvider.GetElapsedTime(entry.RefusedAt, now));
                return true;
            }

            return false;
        }
    }

    // Policies are records: the catalogue's instance is the usual one, an equal copy (a reload) counts too.
    private static bool SamePolicy(QuotaPolicy? held, QuotaPolicy policy) => ReferenceEquals(held, policy) || policy.Equals(held);

    /// <summary>
    /// Remembers a refusal the shared bucket gave <paramref name="key"/> for <paramref name="cost"/>, so
    /// that this instance repeats it (<see cref="TryDecide"/>) instead of asking Redis again, until
    /// its Retry-After or <see cref="LeaseOptions.Duration"/> has passed, whichever is first. Only where
    /// an entry exists (the partition leases).
    /// </summary>
    public void RememberRefusal(string key, QuotaPolicy policy, GcraLimits limits, long cost, in QuotaDecision refusal)
    {
        if (!_entries.TryGetValue(key, out Entry? entry))
        {
            return;
        }

        long now = timeProvider.GetTimestamp();
        long retryTicks = (long)(refusal.RetryAfter.TotalSeconds * timeProvider.TimestampFrequency);
        lock (entry)
        {
            entry.Refusal = refusal;
            entry.RefusalPolicy = policy;
            entry.RefusalInterval = limits.EmissionInterval;
            entry.RefusedCost = cost;
            entry.RefusedAt = now;
            entry.RefusedUntil = now + Math.Min(retryTicks, _durationTicks);
        }
    }

    /// <summary>
    /// Starts a refill of <paramref name="key"/>'s block: false when another request is refilling it
    /// already (this one then decides alone, without a block). On true, <paramref name="giveBack"/> is
    /// what the old block still holds (it is emptied now, so nothing spends it twice); a block taken under
    /// other limits is dropped instead (its units lapse). Always follow a true return with
    /// <see cref="Install"/> or <see cref="Abandon"/> with <paramref name="refill"/>.
    /// </summary>
    public bool TryBeginRefill(string key, QuotaPolicy policy, out LeaseReturn giveBack, out object? refill)
    {
        giveBack = default;
        refill = null;
        if (!_entries.TryGetValue(key, out Entry? entry))
        {
            if (_entries.Count >= maxPartitions && !SweepExpired())
            {
                return false;
            }

            entry = _entries.GetOrAdd(key, static _ => new Entry());
        }

        lock (entry)
        {
            if (entry.Refilling)
            {
                return false;
            }

            entry.Refilling = true;
            if (entry.Held > 0 && SamePolicy(entry.Policy, policy))
            {
                giveBack = new LeaseReturn(entry.Held, entry.SlotEnd, entry.Day);
            }

            entry.Held = 0;
            refill = entry;
            return true;
        }
    }

    /// <summary>Ends a refill with the block <paramref name="lease"/> granted (none when 0 units).</summary>
    public void Install(object refill, QuotaPolicy policy, GcraLimits limits, in LeaseVerdict lease)
    {
        var entry = (Entry)refill;
        long now = timeProvider.GetTimestamp();
        lock (entry)
        {
            entry.Refilling = false;
            if (lease.Granted <= 0)
            {
                return;
            }

            QuotaVerdict verdict = lease.Verdict;
            entry.Policy = policy;
            entry.Interval = limits.EmissionInterval;
            entry.Held = lease.Granted;
            entry.Spent = 0;
            entry.BucketRemaining = verdict.Remaining;
            entry.WaitWithoutBlock = verdict.ResetMicros - (lease.Granted * limits.EmissionInterval);
            entry.DailyRemaining = verdict.DailyRemaining;
            entry.DailyResetMicros = verdict.DailyResetMicros;
            entry.SlotEnd = lease.SlotEnd;
            entry.Day = verdict.DailyRemaining >= 0 ? lease.Day : -1;
            entry.LeasedAt = now;

            // Daily units belong to the day they were taken from: never spend them after 00:00 UTC.
            long lifetime = _durationTicks;
            if (verdict.DailyResetMicros >= 0)
            {
                lifetime = Math.Min(lifetime, verdict.DailyResetMicros * timeProvider.TimestampFrequency / 1_000_000);
            }

            entry.ExpiresAt = now + lifetime;
        }
    }

    /// <summary>Ends a refill that got no answer (Redis trouble, cancelled): no block is held.</summary>
    public void Abandon(object refill)
    {
        var entry = (Entry)refill;
        lock (entry)
        {
            entry.Refilling = false;
        }
    }

    // Drops entries whose block has expired and that nobody is refilling; true when there is room now.
    private bool SweepExpired()
    {
        long now = timeProvider.GetTimestamp();
        foreach (KeyValuePair<string, Entry> pair in _entries)
        {
            lock (pair.Value)
            {
                if (!pair.Value.Refilling && (pair.Value.Held == 0 || now >= pair.Value.ExpiresAt))
                {
                    _entries.TryRemove(pair);
                }
            }
        }

        return _entries.Count < maxPartitions;
    }

    private sealed class Entry
    {
        public QuotaPolicy? Policy;
        public long Interval = 1;
        public long Held;
        public long Spent;
        public long BucketRemaining;
        public long WaitWithoutBlock;
        public long DailyRemaining = -1;
        public long DailyResetMicros = -1;
        public long SlotEnd;
        public long Day = -1;
        public long LeasedAt;
        public long ExpiresAt;
        public bool Refilling;

        // The last refusal from the shared bucket, repeated until RefusedUntil (see TryDecide).
        public QuotaDecision Refusal;
        public QuotaPolicy? RefusalPolicy;
        public long RefusalInterval = 1;
        public long RefusedCost;
        public long RefusedAt;
        public long RefusedUntil;

        // The remembered refusal, some time later: Retry-After, Reset and the daily reset count down;
        // the rate r counts up with the time passed, below the refused cost.
        public QuotaDecision RepeatRefusal(TimeSpan elapsed)
        {
            long earned = (long)(elapsed.Ticks / TimeSpan.TicksPerMicrosecond) / RefusalInterval;
            return Refusal with
            {
                Remaining = Math.Min(Refusal.Remaining + earned, Math.Max(Refusal.Remaining, RefusedCost - 1)),
                Reset = Later(Refusal.Reset - elapsed),
                RetryAfter = Later(Refusal.RetryAfter - elapsed),
                DailyReset = Refusal.DailyReset is { } daily ? Later(daily - elapsed) : null,
            };
        }

        private static TimeSpan Later(TimeSpan left) => left > TimeSpan.Zero ? left : TimeSpan.Zero;

        // What the RateLimit headers report for a spend from the block: the shared bucket as the lease
        // left it plus what this instance still holds (never more than the shared bucket + one block),
        // the rate reset as the lease reported it plus what was spent since, minus the time elapsed.
        public QuotaDecision Describe(long now, long frequency)
        {
            long elapsed = (now - LeasedAt) * 1_000_000 / frequency;
            long reset = Math.Max(0, WaitWithoutBlock + (Spent * Interval) - elapsed);
            return new QuotaDecision
            {
                Allowed = true,
                Remaining = BucketRemaining + Held,
                Reset = TimeSpan.FromTicks(reset * TimeSpan.TicksPerMicrosecond),
                DailyRemaining = DailyRemaining >= 0 ? DailyRemaining + Held : null,
                DailyReset = DailyResetMicros >= 0 ? TimeSpan.FromTicks(Math.Max(0, DailyResetMicros - elapsed) * TimeSpan.TicksPerMicrosecond) : null,
            };
        }
    }
}
