namespace SessionGate.RateLimiting.Quotas;

/// <summary>
/// The quota arithmetic, written once: GCRA (a token bucket of Burst units refilled at
/// PermitsPerMinute / 60 per second, stored as one "theoretical arrival time") plus an optional budget
/// per fixed UTC day. <see cref="Redis.QuotaScript"/> is a line-by-line mirror in Lua; the integration
/// tests run the same scenarios through both and require identical verdicts, so change both together.
/// </summary>
/// <remarks>
/// <para>Both budgets are decided together: the cost is taken from both, or (if either refuses) from neither.</para>
/// <para>Every field describes the state the decision leaves. Remaining is the whole units the rate
/// bucket holds; Reset is, when allowed, the time until the bucket is full again and, when the bucket
/// refuses, the time until this cost would be admitted; RetryAfter is the longest wait of the refusing
/// budgets (the daily one waits until 00:00 UTC).</para>
/// <para>A cost above Burst can never pass: it is refused with Reset = RetryAfter = the time a whole
/// bucket takes to refill (a finite, honest hint, never zero, so clients do not spin). A cost above the
/// daily budget is likewise refused until the day's end, every day.</para>
/// </remarks>
internal static class QuotaMath
{
    /// <summary>
    /// Decides whether <paramref name="cost"/> may be spent at <paramref name="now"/>. With
    /// <paramref name="commit"/> false (a peek) nothing is taken and the fields describe the unchanged state.
    /// </summary>
    /// <param name="state">The partition's stored state (default when none).</param>
    /// <param name="limits">The partition's limits.</param>
    /// <param name="cost">Cost units, at least 1.</param>
    /// <param name="now">Unix microseconds.</param>
    /// <param name="commit">True to take the cost when allowed.</param>
    /// <param name="next">The state to store (equal to <paramref name="state"/> unless a cost was taken).</param>
    public static QuotaVerdict Decide(QuotaState state, GcraLimits limits, long cost, long now, bool commit, out QuotaState next)
    {
        long interval = limits.EmissionInterval;
        long capacity = limits.Capacity;
        long daily = limits.DailyQuota;

        // Rate bucket: "wait" is how long until the bucket is full (0 = full).
        long tat = Math.Max(state.Tat, now);
        long wait = tat - now;
        long tokens = wait < capacity ? (capacity - wait) / interval : 0;
        bool rateOk;
        long rateReset = 0;
        long need = cost * interval;
        if (need > capacity)
        {
            rateOk = false;
            rateReset = capacity;
        }
        else if (wait + need > capacity)
        {
            rateOk = false;
            rateReset = wait + need - capacity;
        }
        else
        {
            rateOk = true;
        }

        // Daily budget: usage counts only on the UTC day it was recorded.
        long day = now / UnixMicroseconds.PerDay;
        long dailyReset = ((day + 1) * UnixMicroseconds.PerDay) - now;
        long used = 0;
        bool dailyOk = true;
        if (daily > 0)
        {
            if (state.Day == day)
            {
                used = state.Used;
            }

            dailyOk = used + cost <= daily;
        }

        if (rateOk && dailyOk && commit)
        {
            long newWait = wait + need;
            next = new QuotaState(now + newWait, daily > 0 ? day : state.Day, daily > 0 ? used + cost : state.Used);
            return new QuotaVerdict(
                Allowed: true,
                QuotaRejection.None,
                Remaining: (capacity - newWait) / interval,
                ResetMicros: newWait,
                RetryAfterMicros: 0,
                DailyRemaining: daily > 0 ? daily - used - cost : -1,
                DailyResetMicros: daily > 0 ? dailyReset : -1);
        }

        next = state;
        QuotaRejection rejection = QuotaRejection.None;
        long reset = wait;
        long retry = 0;
        if (!rateOk)
        {
            rejection = QuotaRejection.RateLimited;
            reset = rateReset;
            retry = rateReset;
        }

        if (!dailyOk)
        {
            rejection = QuotaRejection.QuotaExhausted;
            retry = Math.Max(retry, dailyReset);
        }

        return new QuotaVerdict(
            Allowed: rateOk && dailyOk,
            rejection,
            Remaining: tokens,
            ResetMicros: reset,
            RetryAfterMicros: retry,
            DailyRemaining: daily > 0 ? Math.Max(0, daily - used) : -1,
            DailyResetMicros: daily > 0 ? dailyReset : -1);
    }
}
