using SessionGate.RateLimiting;
using SessionGate.RateLimiting.Quotas;
using SessionGate.RateLimiting.Redis;
using SessionGate.RateLimiting.Tiers;
using SessionGate.Testing;

namespace SessionGate.Tests.RateLimiting;

/// <summary>
/// Leased permits (<see cref="PermitLeases"/> in <see cref="RedisQuotaLimiter"/>) on the fake store
/// (which decides with <see cref="LeaseMath"/>, as the script does) and a fake clock.
/// </summary>
public sealed class PermitLeaseTests : IDisposable
{
    private const long Second = 1_000_000;

    // 60 per minute (one unit per second), burst 100, daily 1,000: block min(1000, 10 s / 1 s, 100 / 10) = 10.
    private static readonly QuotaPolicy Slow = new("slow", 60, 100, 1000);

    private static readonly LeaseOptions On = new() { Enabled = true };

    private readonly LimiterRig _rig = new();

    public void Dispose() => _rig.Dispose();

    [Theory]
    [InlineData(60_000_000, 10_000_000, 1, 1000)]   // the load benchmark's tier: MaxBlock
    [InlineData(600, 1000, 3, 33)]                   // burst share: 1000 / (3 × 10)
    [InlineData(600, 100, 1, 10)]                    // holder
    [InlineData(6000, 1000, 1, 100)]                 // whale
    [InlineData(60, 20, 1, 2)]                       // free: the smallest block there is
    [InlineData(60, 10, 1, 0)]                       // burst 10: a block of 1 is no block
    [InlineData(60, 1000, 1, 10)]                    // rate share: what 10 s earn
    [InlineData(1, 1000, 1, 0)]                      // one per minute earns nothing in 10 s
    public void BlockFor_SizesFromRateBurstAndInstances(int perMinute, int burst, int instances, long expected)
    {
        var leases = new PermitLeases(On, instances, 1000, _rig.Time);
        var policy = new QuotaPolicy("t", perMinute, burst);

        Assert.Equal(expected, leases.BlockFor("acct:a", policy, GcraLimits.From(policy)));
    }

    [Fact]
    public void BlockFor_AnonymousOrDisabled_None()
    {
        var policy = new QuotaPolicy("t", 6000, 1000);
        Assert.Equal(0, new PermitLeases(On, 1, 1000, _rig.Time).BlockFor("ip:192.0.2.1", policy, GcraLimits.From(policy)));
        Assert.Equal(0, new PermitLeases(new LeaseOptions { Enabled = false }, 1, 1000, _rig.Time).BlockFor("acct:a", policy, GcraLimits.From(policy)));
    }

    [Fact]
    public async Task AcquireAsync_LeasesOnce_ThenSpendsLocallyWithTruthfulRemaining()
    {
        RedisQuotaLimiter limiter = _rig.Create(RedisFailureMode.LocalFallback, leases: On);
        Assert.False(limiter.TryAcquireLocally("acct:a", Slow, 1, out _));   // nothing held yet

        QuotaDecision first = await limiter.AcquireAsync("acct:a", Slow, 1);
        Assert.True(first.Allowed);
        Assert.Equal(99, first.Remaining);          // the shared bucket as if the block were still in it
        Assert.Equal(999, first.DailyRemaining);
        Assert.Equal(TimeSpan.FromSeconds(1), first.Reset);
        Assert.Equal(1, _rig.Store.Calls);
        Assert.Equal(QuotaState(11 * Second, 11), _rig.Store.StateOf("acct:a"));   // cost + block taken from both budgets

        for (int i = 1; i <= 10; i++)
        {
            Assert.True(limiter.TryAcquireLocally("acct:a", Slow, 1, out QuotaDecision local));
            Assert.True(local.Allowed);
            Assert.False(local.Degraded);
            Assert.Equal(99 - i, local.Remaining);
            Assert.Equal(999 - i, local.DailyRemaining);
            Assert.Equal(TimeSpan.FromSeconds(1 + i), local.Reset);
        }

        Assert.False(limiter.TryAcquireLocally("acct:a", Slow, 1, out _));   // block spent
        Assert.Equal(1, _rig.Store.Calls);
        Assert.Equal(11, _rig.Decisions.GetMeasurementSnapshot().Sum(m => m.Value));   // local spends are counted decisions
    }

    [Fact]
    public async Task AcquireAsync_AfterExpiry_GivesUnspentUnitsBackInTheSameCall()
    {
        RedisQuotaLimiter limiter = _rig.Create(RedisFailureMode.LocalFallback, leases: On);
        await _rig.Store.DecideAsync("acct:a", GcraLimits.From(Slow), 50, commit: true, default);   // other instances' load: TAT 50 s ahead
        await limiter.AcquireAsync("acct:a", Slow, 1);                                               // 1 + 10 leased: TAT 61 s
        for (int i = 0; i < 4; i++)
        {
            Assert.True(limiter.TryAcquireLocally("acct:a", Slow, 1, out _));
        }

        _rig.Time.Advance(TimeSpan.FromSeconds(11));
        Assert.False(limiter.TryAcquireLocally("acct:a", Slow, 1, out _));   // expired: 6 units unspent
        QuotaDecision next = await limiter.AcquireAsync("acct:a", Slow, 1);

        Assert.True(next.Allowed);
        Assert.Equal(3, _rig.Store.Calls);   // the pre-drain, the first lease, the give-back with the new lease
        // 61 s − 6 given back + 1 + 10 leased again = 66 s after the start; daily 50 + 11 − 6 + 11 = 66.
        Assert.Equal(QuotaState(66 * Second, 66), _rig.Store.StateOf("acct:a"));
    }

    [Fact]
    public async Task AcquireAsync_BlockAlreadyRefilledByTime_NothingCreditedTwice()
    {
        RedisQuotaLimiter limiter = _rig.Create(RedisFailureMode.LocalFallback, leases: On);
        await limiter.AcquireAsync("acct:a", Slow, 1);                      // TAT 11 s (bucket was full)
        _rig.Time.Advance(TimeSpan.FromSeconds(12));                        // refilled past the whole block
        await _rig.Store.DecideAsync("acct:a", GcraLimits.From(Slow), 5, commit: true, default);   // another instance: TAT now + 5 s

        await limiter.AcquireAsync("acct:a", Slow, 1);                      // gives 10 back: already refilled, none credited

        long now = 12 * Second;
        Assert.Equal(now + (16 * Second), _rig.Store.StateOf("acct:a").Tat - Start);   // 5 + 1 + 10, nothing taken back
    }

    [Fact]
    public async Task TryAcquireLocally_OtherTier_NotSpentAndDropped()
    {
        RedisQuotaLimiter limiter = _rig.Create(RedisFailureMode.LocalFallback, leases: On);
        var upgraded = Slow with { Name = "faster", Burst = 200 };
        await limiter.AcquireAsync("acct:a", Slow, 1);                      // block 10 under "slow"

        Assert.False(limiter.TryAcquireLocally("acct:a", upgraded, 1, out _));
        Assert.False(limiter.TryAcquireLocally("acct:a", Slow with { Shadow = true }, 1, out _));
        await limiter.AcquireAsync("acct:a", upgraded, 1);                  // a new block under "faster"; the old one lapses

        Assert.Equal(QuotaState(22 * Second, 22), _rig.Store.StateOf("acct:a"));   // 11 + 1 + 10: nothing given back
        Assert.True(limiter.TryAcquireLocally("acct:a", upgraded, 1, out _));
        Assert.False(limiter.TryAcquireLocally("acct:a", Slow, 1, out _));
    }

    [Fact]
    public async Task AcquireAsync_CostAboveBlock_GivesBlockBackAndDecidesTheCostExactly()
    {
        RedisQuotaLimiter limiter = _rig.Create(RedisFailureMode.LocalFallback, leases: On);
        await limiter.AcquireAsync("acct:a", Slow, 1);                      // TAT 11 s, 10 held

        Assert.False(limiter.TryAcquireLocally("acct:a", Slow, 30, out _));
        QuotaDecision big = await limiter.AcquireAsync("acct:a", Slow, 30);
        Assert.True(big.Allowed);
        Assert.Equal(QuotaState(41 * Second, 41), _rig.Store.StateOf("acct:a"));   // 11 − 10 given back + 30 + 10 leased

        // 90 units needed, 69 in the bucket once the held 10 are back: refused, nothing taken, block given back.
        QuotaDecision refused = await limiter.AcquireAsync("acct:a", Slow, 90);
        Assert.False(refused.Allowed);
        Assert.Equal(QuotaRejection.RateLimited, refused.Rejection);
        Assert.Equal(69, refused.Remaining);
        Assert.Equal(QuotaState(31 * Second, 31), _rig.Store.StateOf("acct:a"));
        Assert.False(limiter.TryAcquireLocally("acct:a", Slow, 1, out _));
    }

    [Fact]
    public async Task AcquireAsync_RefusedByTheBucket_RepeatedLocallyUntilRetryAfterThenAskedAgain()
    {
        RedisQuotaLimiter limiter = _rig.Create(RedisFailureMode.LocalFallback, leases: On);
        QuotaDecision refused = await RefuseFiftyAsync(limiter);
        Assert.Equal(39, refused.Remaining);
        int calls = _rig.Store.Calls;

        // The same or a larger cost: refused here, Retry-After counting down, nothing sent.
        _rig.Time.Advance(TimeSpan.FromSeconds(2));
        Assert.True(limiter.TryAcquireLocally("acct:a", Slow, 50, out QuotaDecision again));
        Assert.False(again.Allowed);
        Assert.Equal(QuotaRejection.RateLimited, again.Rejection);
        Assert.Equal(refused.RetryAfter - TimeSpan.FromSeconds(2), again.RetryAfter);
        Assert.Equal(41, again.Remaining);                               // one unit a second earned since
        QuotaDecision larger = await limiter.AcquireAsync("acct:a", Slow, 60);
        Assert.Equal(QuotaRejection.RateLimited, larger.Rejection);
        Assert.Equal(calls, _rig.Store.Calls);

        // A smaller cost may fit: asked of the bucket.
        Assert.True((await limiter.AcquireAsync("acct:a", Slow, 20)).Allowed);
        Assert.Equal(calls + 1, _rig.Store.Calls);

        // Once Retry-After (or Leases:Duration, if shorter) has passed, the bucket decides again.
        _rig.Time.Advance(refused.RetryAfter);
        Assert.False(limiter.TryAcquireLocally("acct:a", Slow, 50, out _));
    }

    [Fact]
    public async Task AcquireAsync_DailyQuotaSpent_RefusalRepeatedAtMostOneLeaseDuration()
    {
        RedisQuotaLimiter limiter = _rig.Create(RedisFailureMode.LocalFallback, leases: On);
        var tiny = new QuotaPolicy("tiny", 6000, 100, 30);                  // 30 a day; block min(1000, 1000, 10) = 10
        Assert.True((await limiter.AcquireAsync("acct:a", tiny, 1)).Allowed);
        QuotaDecision spent = await limiter.AcquireAsync("acct:a", tiny, 30);   // 29 left once the block is back
        Assert.Equal(QuotaRejection.QuotaExhausted, spent.Rejection);
        Assert.True(spent.RetryAfter > TimeSpan.FromMinutes(1));           // until 00:00 UTC

        Assert.True(limiter.TryAcquireLocally("acct:a", tiny, 30, out QuotaDecision again));
        Assert.Equal(QuotaRejection.QuotaExhausted, again.Rejection);

        // An administrator may reset the day meanwhile: this instance asks again after Leases:Duration.
        _rig.Time.Advance(TimeSpan.FromSeconds(10));
        Assert.False(limiter.TryAcquireLocally("acct:a", tiny, 30, out _));
    }

    [Fact]
    public async Task TryAcquireLocally_RememberedRefusal_NotRepeatedOnceRedisIsKnownDown()
    {
        RedisQuotaLimiter limiter = _rig.Create(RedisFailureMode.FailClosed, leases: On);
        await RefuseFiftyAsync(limiter);
        _rig.Store.IsConnected = false;

        Assert.False(limiter.TryAcquireLocally("acct:a", Slow, 50, out _));   // the failure mode decides
    }

    // 1 + 60 taken and 10 leased: 29 left; a cost of 50 then finds 39 with the block given back: refused.
    private static async Task<QuotaDecision> RefuseFiftyAsync(RedisQuotaLimiter limiter)
    {
        Assert.True((await limiter.AcquireAsync("acct:a", Slow, 1)).Allowed);
        Assert.True((await limiter.AcquireAsync("acct:a", Slow, 60)).Allowed);
        QuotaDecision refused = await limiter.AcquireAsync("acct:a", Slow, 50);
        Assert.Equal(QuotaRejection.RateLimited, refused.Rejection);
        return refused;
    }

    [Fact]
    public async Task TryAcquireLocally_RedisDown_HeldBlockNotSpentOnceACallFailedThenSpentAgainWhenBack()
    {
        RedisQuotaLimiter limiter = _rig.Create(RedisFailureMode.FailClosed, leases: On);
        await limiter.AcquireAsync("acct:a", Slow, 1);
        _rig.Store.IsDown = true;

        // Nothing has noticed yet: the block (taken from the shared bucket already) is spent as before.
        Assert.True(limiter.TryAcquireLocally("acct:a", Slow, 1, out QuotaDecision held));
        Assert.False(held.Degraded);

        // Another account's decision finds Redis down: from now on FailClosed answers for everyone,
        // the account holding a block included, as it would without leasing.
        QuotaDecision other = await limiter.AcquireAsync("acct:b", Slow, 1);
        Assert.Equal(QuotaRejection.Unavailable, other.Rejection);
        Assert.True(limiter.IsDegraded);
        int calls = _rig.Store.Calls;
        Assert.False(limiter.TryAcquireLocally("acct:a", Slow, 1, out _));
        QuotaDecision down = await limiter.AcquireAsync("acct:a", Slow, 1);
        Assert.Equal(QuotaRejection.Unavailable, down.Rejection);
        Assert.Equal(calls, _rig.Store.Calls);      // refused by the breaker: nothing sent

        // Redis back: the probe closes the breaker and the block, still unexpired, is spent again.
        _rig.Store.IsDown = false;
        _rig.Time.Advance(LimiterRig.RetryInterval);
        Assert.True((await limiter.AcquireAsync("acct:b", Slow, 1)).Allowed);
        Assert.False(limiter.IsDegraded);
        Assert.True(limiter.TryAcquireLocally("acct:a", Slow, 1, out held));
        Assert.False(held.Degraded);

        _rig.Time.Advance(TimeSpan.FromSeconds(10) - LimiterRig.RetryInterval);
        Assert.False(limiter.TryAcquireLocally("acct:a", Slow, 1, out _));   // expired
    }

    [Fact]
    public async Task TryAcquireLocally_ConnectionKnownDown_NotSpentAndTheNextDecisionOpensTheBreaker()
    {
        RedisQuotaLimiter limiter = _rig.Create(RedisFailureMode.FailClosed, leases: On);
        await limiter.AcquireAsync("acct:a", Slow, 1);
        _rig.Store.IsDown = true;
        _rig.Store.IsConnected = false;     // the socket is gone: a killed Redis

        Assert.False(limiter.TryAcquireLocally("acct:a", Slow, 1, out _));
        int leases = _rig.Store.LeaseCalls;
        QuotaDecision down = await limiter.AcquireAsync("acct:a", Slow, 1);
        Assert.Equal(QuotaRejection.Unavailable, down.Rejection);
        Assert.True(limiter.IsDegraded);
        Assert.Equal(leases, _rig.Store.LeaseCalls);   // a plain decision, not a refill: the block is kept

        _rig.Store.IsDown = false;
        _rig.Store.IsConnected = true;
        _rig.Time.Advance(LimiterRig.RetryInterval);
        Assert.True((await limiter.AcquireAsync("acct:b", Slow, 1)).Allowed);
        Assert.True(limiter.TryAcquireLocally("acct:a", Slow, 1, out QuotaDecision held));   // the block kept through the outage
        Assert.False(held.Degraded);
    }

    [Fact]
    public async Task Lease_NearMidnight_ExpiresWithTheDay()
    {
        _rig.Time.SetUtcNow(new DateTimeOffset(2026, 11, 21, 23, 59, 59, 500, TimeSpan.Zero));
        RedisQuotaLimiter limiter = _rig.Create(RedisFailureMode.LocalFallback, leases: On);
        await limiter.AcquireAsync("acct:a", Slow, 1);
        Assert.True(limiter.TryAcquireLocally("acct:a", Slow, 1, out _));

        _rig.Time.Advance(TimeSpan.FromMilliseconds(500));   // 00:00 UTC: the leased daily units were yesterday's
        Assert.False(limiter.TryAcquireLocally("acct:a", Slow, 1, out _));
    }

    [Fact]
    public async Task AcquireAsync_AnonymousAndDisabled_NeverLease()
    {
        RedisQuotaLimiter limiter = _rig.Create(RedisFailureMode.LocalFallback, leases: On);
        await limiter.AcquireAsync("ip:192.0.2.1", Slow, 1);
        Assert.False(limiter.TryAcquireLocally("ip:192.0.2.1", Slow, 1, out _));
        Assert.Equal(0, _rig.Store.LeaseCalls);

        using var rig = new LimiterRig();
        RedisQuotaLimiter off = rig.Create(RedisFailureMode.LocalFallback, leases: new LeaseOptions { Enabled = false });
        await off.AcquireAsync("acct:a", Slow, 1);
        Assert.False(off.TryAcquireLocally("acct:a", Slow, 1, out _));
        Assert.Equal(QuotaState(1 * Second, 1), rig.Store.StateOf("acct:a"));
    }

    [Fact]
    public async Task AcquireAsync_ConcurrentMisses_OneRefillOthersDecideAlone()
    {
        RedisQuotaLimiter limiter = _rig.Create(RedisFailureMode.LocalFallback, leases: On);
        _rig.Store.Hold();
        ValueTask<QuotaDecision> refill = limiter.AcquireAsync("acct:a", Slow, 1);
        ValueTask<QuotaDecision> alone = limiter.AcquireAsync("acct:a", Slow, 1);
        _rig.Store.Release();
        Assert.True((await refill).Allowed);
        Assert.True((await alone).Allowed);

        Assert.Equal(1, _rig.Store.LeaseCalls);
        Assert.Equal(QuotaState(12 * Second, 12), _rig.Store.StateOf("acct:a"));   // one block only
    }

    [Fact]
    public void Validate_LeaseOptionsOutOfRange_NamesEachKey()
    {
        var options = new RateLimitingOptions { Leases = new LeaseOptions { Duration = TimeSpan.Zero, MaxBlock = 1, BurstDivisor = 1 } };

        IReadOnlyList<string> errors = TierPolicyValidation.Validate(options);

        Assert.Equal(3, errors.Count);
        Assert.Contains(errors, e => e.StartsWith("SessionGate:RateLimiting:Leases:Duration", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("SessionGate:RateLimiting:Leases:MaxBlock", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("SessionGate:RateLimiting:Leases:BurstDivisor", StringComparison.Ordinal));
    }

    [Fact]
    public void GiveBack_NeverBelowNowAndOnlyToday()
    {
        long now = 100 * Second;
        long day = now / UnixMicroseconds.PerDay;
        var state = new QuotaState(now + (3 * Second), day, 20);

        // 10 units whose span ends 5 s ahead: 5 of them are still owed; the TAT moves back by them, but not below now.
        QuotaState back = LeaseMath.GiveBack(state, Second, new LeaseReturn(10, now + (5 * Second), day), now);
        Assert.Equal(new QuotaState(now, day, 10), back);

        // A lease of another day leaves today's usage alone.
        Assert.Equal(20, LeaseMath.GiveBack(state, Second, new LeaseReturn(10, now + (5 * Second), day - 1), now).Used);
    }

    private static long Start => UnixMicroseconds.From(TestTime.Start);

    private static QuotaState QuotaState(long tatAfterStart, long used) =>
        new(Start + tatAfterStart, Start / UnixMicroseconds.PerDay, used);
}
