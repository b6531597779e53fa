using SessionGate.RateLimiting;
using SessionGate.RateLimiting.Quotas;

namespace SessionGate.Tests.RateLimiting;

/// <summary>The GCRA + daily-budget arithmetic against values worked out by hand.</summary>
public sealed class QuotaMathTests
{
    private const long Second = 1_000_000;

    // 2026-11-21 12:00:00 UTC; 12 hours before the next UTC midnight.
    private static readonly long Noon = UnixMicroseconds.From(new DateTimeOffset(2026, 11, 21, 12, 0, 0, TimeSpan.Zero));
    private static readonly long Midnight = UnixMicroseconds.From(new DateTimeOffset(2026, 11, 22, 0, 0, 0, TimeSpan.Zero));

    // 60/min: one unit per second, burst 5.
    private static readonly GcraLimits PerSecond = GcraLimits.From(new QuotaPolicy("t", 60, 5));

    [Fact]
    public void Decide_FreshPartition_AllowsAndReportsBucketMinusCost()
    {
        QuotaVerdict verdict = QuotaMath.Decide(default, PerSecond, 1, Noon, commit: true, out QuotaState next);

        Assert.Equal(new QuotaVerdict(true, QuotaRejection.None, 4, Second, 0, -1, -1), verdict);
        Assert.Equal(Noon + Second, next.Tat);
    }

    [Fact]
    public void Decide_BurstAtOneInstant_AllowsExactlyBurstThenRefuses()
    {
        var steps = new Sequence(PerSecond, Noon);

        QuotaVerdict[] verdicts = [.. Enumerable.Range(0, 7).Select(_ => steps.Take(1))];

        Assert.Equal([4L, 3, 2, 1, 0, 0, 0], verdicts.Select(v => v.Remaining));
        Assert.Equal([true, true, true, true, true, false, false], verdicts.Select(v => v.Allowed));
        Assert.Equal(new QuotaVerdict(false, QuotaRejection.RateLimited, 0, Second, Second, -1, -1), verdicts[5]);
        Assert.Equal(5 * Second, verdicts[4].ResetMicros);
    }

    [Fact]
    public void Decide_AfterDraining_RefillsOneUnitPerEmissionInterval()
    {
        var steps = new Sequence(PerSecond, Noon);
        steps.Take(5);

        steps.Advance(Second / 2);
        QuotaVerdict early = steps.Take(1);
        steps.Advance(Second / 2);
        QuotaVerdict onTime = steps.Take(1);
        QuotaVerdict again = steps.Take(1);

        Assert.Equal(new QuotaVerdict(false, QuotaRejection.RateLimited, 0, Second / 2, Second / 2, -1, -1), early);
        Assert.Equal(new QuotaVerdict(true, QuotaRejection.None, 0, 5 * Second, 0, -1, -1), onTime);
        Assert.False(again.Allowed);
    }

    [Fact]
    public void Decide_LongIdle_NeverHoldsMoreThanBurst()
    {
        var steps = new Sequence(PerSecond, Noon);
        steps.Take(5);

        steps.Advance(3600 * Second);

        Assert.Equal(4, steps.Take(1).Remaining);
    }

    [Fact]
    public void Decide_CostAboveOne_TakesThatManyUnitsAndWaitsForAllOfThem()
    {
        // 600/min: 100 ms per unit, burst 10 (1 s of capacity).
        var steps = new Sequence(GcraLimits.From(new QuotaPolicy("t", 600, 10)), Noon);

        QuotaVerdict first = steps.Take(4);
        QuotaVerdict second = steps.Take(4);
        QuotaVerdict third = steps.Take(4);

        Assert.Equal(new QuotaVerdict(true, QuotaRejection.None, 6, 400_000, 0, -1, -1), first);
        Assert.Equal(new QuotaVerdict(true, QuotaRejection.None, 2, 800_000, 0, -1, -1), second);
        // 2 units left; 4 needed: 2 more units = 200 ms.
        Assert.Equal(new QuotaVerdict(false, QuotaRejection.RateLimited, 2, 200_000, 200_000, -1, -1), third);
    }

    [Fact]
    public void Decide_CostAboveBurst_RefusedWithFullRefillTimeEvenWhenFull()
    {
        var steps = new Sequence(GcraLimits.From(new QuotaPolicy("t", 600, 10)), Noon);

        QuotaVerdict verdict = steps.Take(11);
        steps.Advance(3600 * Second);
        QuotaVerdict later = steps.Take(11);

        Assert.Equal(new QuotaVerdict(false, QuotaRejection.RateLimited, 10, Second, Second, -1, -1), verdict);
        Assert.Equal(verdict, later);
        Assert.True(steps.Take(10).Allowed);
    }

    [Fact]
    public void Decide_DailyBudgetSpent_RefusesAsQuotaExhaustedUntilUtcMidnight()
    {
        var steps = new Sequence(GcraLimits.From(new QuotaPolicy("t", 6000, 100, 5)), Midnight - (2 * Second));

        QuotaVerdict[] verdicts = [.. Enumerable.Range(0, 5).Select(_ => steps.Take(1))];
        QuotaVerdict refused = steps.Take(1);

        Assert.All(verdicts, v => Assert.True(v.Allowed));
        Assert.Equal([4L, 3, 2, 1, 0], verdicts.Select(v => v.DailyRemaining));
        Assert.All(verdicts, v => Assert.Equal(2 * Second, v.DailyResetMicros));
        Assert.Equal(QuotaRejection.QuotaExhausted, refused.Rejection);
        Assert.Equal(2 * Second, refused.RetryAfterMicros);
        Assert.Equal(0, refused.DailyRemaining);
    }

    [Fact]
    public void Decide_AtUtcMidnight_DailyBudgetResets()
    {
        var steps = new Sequence(GcraLimits.From(new QuotaPolicy("t", 6000, 100, 5)), Midnight - (2 * Second));
        steps.Take(5);
        steps.Advance((2 * Second) - 1);
        Assert.False(steps.Take(1).Allowed);

        steps.Advance(1);
        QuotaVerdict afterMidnight = steps.Take(1);

        Assert.True(afterMidnight.Allowed);
        Assert.Equal(4, afterMidnight.DailyRemaining);
        Assert.Equal(86_400 * Second, afterMidnight.DailyResetMicros);
    }

    [Fact]
    public void Decide_DailyRefuses_NothingTakenFromRateBucket()
    {
        var steps = new Sequence(GcraLimits.From(new QuotaPolicy("t", 60, 10, 3)), Noon);
        steps.Take(3);

        QuotaVerdict refused = steps.Take(1);
        QuotaState stateAfter = steps.State;

        Assert.Equal(QuotaRejection.QuotaExhausted, refused.Rejection);
        Assert.Equal(7, refused.Remaining);
        Assert.Equal(3 * Second, refused.ResetMicros);
        Assert.Equal(Noon + (3 * Second), stateAfter.Tat);
        Assert.Equal(12 * 3600 * Second, refused.RetryAfterMicros);
    }

    [Fact]
    public void Decide_RateRefuses_NothingTakenFromDailyBudget()
    {
        var steps = new Sequence(GcraLimits.From(new QuotaPolicy("t", 60, 2, 10)), Noon);
        steps.Take(2);

        QuotaVerdict refused = steps.Take(1);

        Assert.Equal(QuotaRejection.RateLimited, refused.Rejection);
        Assert.Equal(8, refused.DailyRemaining);
        Assert.Equal(2, steps.State.Used);
        steps.Advance(Second);
        Assert.Equal(7, steps.Take(1).DailyRemaining);
    }

    [Fact]
    public void Decide_BothRefuse_QuotaExhaustedAndRetryAfterTheLongerWait()
    {
        var steps = new Sequence(GcraLimits.From(new QuotaPolicy("t", 60, 2, 2)), Noon);
        steps.Take(2);

        QuotaVerdict refused = steps.Take(1);

        Assert.Equal(QuotaRejection.QuotaExhausted, refused.Rejection);
        Assert.Equal(Second, refused.ResetMicros);
        Assert.Equal(12 * 3600 * Second, refused.RetryAfterMicros);
        Assert.True(refused.RetryAfterMicros >= refused.ResetMicros);
    }

    [Fact]
    public void Decide_Peek_ReportsWithoutTaking()
    {
        var steps = new Sequence(GcraLimits.From(new QuotaPolicy("t", 60, 5, 10)), Noon);
        steps.Take(2);

        QuotaVerdict peek = steps.Peek();

        Assert.Equal(new QuotaVerdict(true, QuotaRejection.None, 3, 2 * Second, 0, 8, 12 * 3600 * Second), peek);
        Assert.Equal(2, steps.Take(1).Remaining); // the peek took nothing: 3 - 1
    }

    [Fact]
    public void Decide_RateNotDividingAMinute_RoundsIntervalUpSoNeverFaster()
    {
        // 7/min: 8,571,428.57 µs per unit, rounded up to 8,571,429 µs.
        GcraLimits limits = GcraLimits.From(new QuotaPolicy("t", 7, 3));
        var steps = new Sequence(limits, Noon);
        steps.Take(3);

        steps.Advance(8_571_428);
        Assert.False(steps.Take(1).Allowed);
        steps.Advance(1);
        Assert.True(steps.Take(1).Allowed);
        Assert.Equal(8_571_429, limits.EmissionInterval);
    }

    [Fact]
    public void Decide_StateFromBiggerPolicy_WaitsUntilSmallerBucketHasRoom()
    {
        // 900 units of a 6000/min whale bucket leave 9 s until full; a 60/min, burst 20 bucket holds 20 s.
        var steps = new Sequence(GcraLimits.From(new QuotaPolicy("whale", 6000, 1000)), Noon);
        steps.Take(900);

        QuotaVerdict asFree = QuotaMath.Decide(steps.State, GcraLimits.From(new QuotaPolicy("free", 60, 20)), 1, Noon, commit: true, out _);

        Assert.True(asFree.Allowed);
        Assert.Equal(10, asFree.Remaining);
    }

    [Fact]
    public void Decide_StateBeyondCapacity_ReportsZeroRemainingNotNegative()
    {
        var steps = new Sequence(GcraLimits.From(new QuotaPolicy("whale", 6000, 1000)), Noon);
        steps.Take(1000);

        QuotaVerdict asFree = QuotaMath.Decide(steps.State, GcraLimits.From(new QuotaPolicy("free", 60, 5)), 1, Noon, commit: true, out _);

        Assert.False(asFree.Allowed);
        Assert.Equal(0, asFree.Remaining);
        Assert.Equal((10 * Second) + Second - (5 * Second), asFree.ResetMicros);
    }

    [Fact]
    public void ToDecision_MapsMicrosecondsAndMissingDailyBudget()
    {
        var verdict = new QuotaVerdict(false, QuotaRejection.RateLimited, 2, 1_500_000, 2_000_000, -1, -1);

        QuotaDecision decision = verdict.ToDecision(degraded: true);

        Assert.Equal(TimeSpan.FromMilliseconds(1500), decision.Reset);
        Assert.Equal(TimeSpan.FromSeconds(2), decision.RetryAfter);
        Assert.Null(decision.DailyRemaining);
        Assert.Null(decision.DailyReset);
        Assert.True(decision.Degraded);
    }

    /// <summary>Runs decisions one after another on one partition, carrying the state.</summary>
    private sealed class Sequence(GcraLimits limits, long start)
    {
        private long _now = start;

        public QuotaState State { get; private set; }

        public void Advance(long micros) => _now += micros;

        public QuotaVerdict Take(long cost) => Decide(cost, commit: true);

        public QuotaVerdict Peek() => Decide(1, commit: false);

        private QuotaVerdict Decide(long cost, bool commit)
        {
            QuotaVerdict verdict = QuotaMath.Decide(State, limits, cost, _now, commit, out QuotaState next);
            State = next;
            return verdict;
        }
    }
}
