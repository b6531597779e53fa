using SessionGate.Caching;

using SessionGate.RateLimiting;
using SessionGate.AspNetCore.RateLimiting;

namespace SessionGate.AspNetCore.RateLimiting;

/// <summary>
/// The latest decision of each recently limited partition, for what a successful response reports
/// (RateLimit headers, <see cref="ISessionGateRateLimitFeature"/>). ASP.NET Core's rate-limiting
/// middleware keeps the lease of a granted request to itself (it hands it over only on rejection), so
/// the partition's limiter records its decision here and the request reads its partition's entry.
/// With concurrent requests of one partition a response may report a later decision than its own:
/// the remaining budget it shows is never staler than its own decision. Bounded: entries keyed by
/// client input (addresses, accounts), capacity 100,000, each kept about a minute (59–60 s) after its latest decision.
/// </summary>
internal sealed class RateLimitOutcomes
{
    private static readonly TimeSpan KeepFor = TimeSpan.FromMinutes(1);

    // A partition's slot is updated in place on every decision (no allocation per request); its
    // cache entry, and so its minute, is renewed at most once a second, so an entry outlives its
    // partition's latest decision by between 59 and 60 seconds.
    private static readonly TimeSpan RenewEvery = TimeSpan.FromSeconds(1);

    private readonly BoundedCache<string, Slot> _latest;
    private readonly TimeProvider _time;
    private readonly long _renewTicks;

    public RateLimitOutcomes(TimeProvider time)
    {
        _time = time;
        _latest = new BoundedCache<string, Slot>(100_000, time);
        _renewTicks = (long)(RenewEvery.TotalSeconds * time.TimestampFrequency);
    }

    public void Record(string partition, QuotaPolicy policy, in QuotaDecision decision)
    {
        long now = _time.GetTimestamp();
        if (_latest.TryGet(partition, out Slot? slot))
        {
            if (slot.Update(policy, decision, now, _renewTicks))
            {
                _latest.Set(partition, slot, KeepFor);
            }

            return;
        }

        _latest.Set(partition, new Slot(new RateLimitOutcome(policy, decision), now), KeepFor);
    }

    public bool TryGet(string partition, out RateLimitOutcome outcome)
    {
        if (_latest.TryGet(partition, out Slot? slot))
        {
            outcome = slot.Read();
            return true;
        }

        outcome = default;
        return false;
    }

    // A policy and a decision read and written together (a decision is larger than an atomic write).
    private sealed class Slot(RateLimitOutcome outcome, long renewedAt)
    {
        private readonly Lock _lock = new();
        private RateLimitOutcome _outcome = outcome;
        private long _renewedAt = renewedAt;

        public RateLimitOutcome Read()
        {
            lock (_lock)
            {
                return _outcome;
            }
        }

        // True when the caller should renew the slot's cache entry.
        public bool Update(QuotaPolicy policy, in QuotaDecision decision, long now, long renewTicks)
        {
            lock (_lock)
            {
                _outcome = new RateLimitOutcome(policy, decision);
                if (now - _renewedAt < renewTicks)
                {
                    return false;
                }

                _renewedAt = now;
                return true;
            }
        }
    }
}

/// <summary>A partition's limits and the latest decision made for it.</summary>
internal readonly record struct RateLimitOutcome(QuotaPolicy Policy, QuotaDecision Decision);
