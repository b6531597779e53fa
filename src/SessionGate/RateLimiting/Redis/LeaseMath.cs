using SessionGate.RateLimiting.Quotas;

namespace SessionGate.RateLimiting.Redis;

/// <summary>
/// The lease arithmetic of <see cref="QuotaScript"/> in C#, line by line (<c>give_back</c> and the
/// block part of <c>decide</c>), on top of <see cref="QuotaMath.Decide"/>: the fake store of the unit
/// tests decides with it, and the script parity tests require the script to answer exactly the same.
/// Change both together.
/// </summary>
internal static class LeaseMath
{
    /// <summary>
    /// Applies <paramref name="giveBack"/> (if any), then decides <paramref name="cost"/> exactly as
    /// <see cref="QuotaMath.Decide"/> does and, when it was allowed and committed, takes up to
    /// <paramref name="block"/> more units that both budgets still hold.
    /// </summary>
    public static LeaseVerdict Decide(QuotaState state, GcraLimits limits, long cost, long block, LeaseReturn giveBack, long now, bool commit, out QuotaState next)
    {
        if (giveBack.Units > 0)
        {
            state = GiveBack(state, limits.EmissionInterval, giveBack, now);
        }

        QuotaVerdict verdict = QuotaMath.Decide(state, limits, cost, now, commit, out next);
        long day = now / UnixMicroseconds.PerDay;
        if (!(verdict.Allowed && commit))
        {
            return new LeaseVerdict(verdict, Granted: 0, SlotEnd: 0, Day: day);
        }

        long interval = limits.EmissionInterval;
        long newWait = verdict.ResetMicros;
        long granted = 0;
        if (block > 0)
        {
            granted = (limits.Capacity - newWait) / interval;
            granted = Math.Min(granted, block);
            if (limits.DailyQuota > 0 && verdict.DailyRemaining < granted)
            {
                granted = verdict.DailyRemaining;
            }

            newWait += granted * interval;
        }

        long newTat = now + newWait;
        next = new QuotaState(newTat, next.Day, limits.DailyQuota > 0 ? next.Used + granted : next.Used);
        verdict = verdict with
        {
            Remaining = (limits.Capacity - newWait) / interval,
            ResetMicros = newWait,
            DailyRemaining = limits.DailyQuota > 0 ? verdict.DailyRemaining - granted : -1,
        };
        return new LeaseVerdict(verdict, granted, newTat, day);
    }

    /// <summary>
    /// Returns unspent leased units: the TAT moves back by those of them the bucket has not already
    /// refilled (the block's span of TAT ended at its slot end; only the part still after now is
    /// credited), never below now; the day's usage drops by the units when the lease was taken today.
    /// </summary>
    public static QuotaState GiveBack(QuotaState state, long interval, LeaseReturn giveBack, long now)
    {
        long tat = state.Tat;
        if (state.Tat > now)
        {
            long from = Math.Max(giveBack.SlotEnd - (giveBack.Units * interval), now);
            if (giveBack.SlotEnd > from)
            {
                tat = Math.Max(state.Tat - ((giveBack.SlotEnd - from) / interval * interval), now);
            }
        }

        long used = state.Used;
        if (giveBack.Day >= 0 && giveBack.Day == now / UnixMicroseconds.PerDay && state.Day == giveBack.Day)
        {
            used = Math.Max(0, used - giveBack.Units);
        }

        return new QuotaState(tat, state.Day, used);
    }
}

/// <summary>Unspent units of a lease given back to the shared bucket (<see cref="Units"/> 0: nothing).</summary>
/// <param name="Units">Units to return.</param>
/// <param name="SlotEnd">The TAT the lease left (Unix µs of Redis's clock): where the block's span ended.</param>
/// <param name="Day">UTC day the lease took its daily units from, or -1 without a daily budget.</param>
internal readonly record struct LeaseReturn(long Units, long SlotEnd, long Day);

/// <summary>A decision with a lease: the verdict (after the block was taken) and the block granted.</summary>
/// <param name="Verdict">The decision of the request's own cost; Remaining, Reset and DailyRemaining exclude the block.</param>
/// <param name="Granted">Units leased beyond the cost (0 when refused or none available).</param>
/// <param name="SlotEnd">The TAT after the block (Redis clock), what a later give-back names; 0 when refused.</param>
/// <param name="Day">The UTC day (Redis clock) of the decision.</param>
internal readonly record struct LeaseVerdict(QuotaVerdict Verdict, long Granted, long SlotEnd, long Day);
