using SessionGate.Balances;
using SessionGate.RateLimiting;

namespace SessionGate.Tests.Balances;

/// <summary>The chain unreachable: the last known balance up to the staleness limit, then Unknown.</summary>
public sealed class CachingBalanceSourceFailureTests
{
    [Fact]
    public async Task GetBalanceAsync_ChainDownAfterTtl_ReturnsLastKnownBalance()
    {
        var rig = new CachingRig();
        BalanceResult known = await rig.PrimeAsync(5000m);
        rig.Inner.Failing = true;
        rig.Clock.Advance(rig.Ttl);

        BalanceResult stale = await rig.Get();

        Assert.Equal(known, stale);
        Assert.True(stale.AsOf < rig.Clock.GetUtcNow() - rig.Ttl + TimeSpan.FromTicks(1), "AsOf shows the value is stale");
    }

    [Fact]
    public async Task GetBalanceAsync_ChainDownPastMaxStaleness_ReturnsUnknown()
    {
        var rig = new CachingRig(new RateLimitingOptions { BalanceCacheTtl = TimeSpan.FromSeconds(60), BalanceMaxStaleness = TimeSpan.FromMinutes(10) });
        await rig.PrimeAsync(5000m);
        rig.Inner.Failing = true;
        rig.Clock.Advance(rig.Ttl);
        Assert.True((await rig.Get()).Known);

        rig.Clock.Advance(TimeSpan.FromMinutes(10) - rig.Ttl - TimeSpan.FromSeconds(1));
        Assert.Equal(5000m, (await rig.Get()).Balance);

        rig.Clock.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(BalanceResult.Unknown, await rig.Get());
    }

    [Fact]
    public async Task GetBalanceAsync_AfterAFailedFetch_CallersStopWaitingForTheChain()
    {
        var rig = new CachingRig(retryInterval: TimeSpan.FromSeconds(5));
        await rig.PrimeAsync(5000m);
        rig.Inner.Failing = true;
        rig.Clock.Advance(rig.Ttl);
        await rig.Get();

        // The chain now hangs: nobody may wait on it.
        rig.Inner.Gate = new TaskCompletionSource().Task;
        for (int i = 0; i < 3; i++)
        {
            ValueTask<BalanceResult> answer = rig.Get();
            Assert.True(answer.IsCompletedSuccessfully);
            Assert.Equal(5000m, (await answer).Balance);
            rig.Clock.Advance(TimeSpan.FromSeconds(5));
        }

        Assert.Equal(1, rig.Source.InFlightCount);
    }

    [Fact]
    public async Task GetBalanceAsync_ChainBack_RecoversThroughABackgroundRetry()
    {
        var rig = new CachingRig(retryInterval: TimeSpan.FromSeconds(5));
        await rig.PrimeAsync(5000m);
        rig.Inner.Failing = true;
        rig.Clock.Advance(rig.Ttl);
        await rig.Get();

        rig.Inner.Failing = false;
        rig.Inner.Balances[CachingRig.Account] = 10m;
        Assert.Equal(5000m, (await rig.Get()).Balance);
        Assert.Equal(0, rig.Source.InFlightCount);
        rig.Clock.Advance(TimeSpan.FromSeconds(5));
        Assert.Equal(5000m, (await rig.Get()).Balance);
        await rig.SettledAsync();

        ValueTask<BalanceResult> recovered = rig.Get();
        Assert.True(recovered.IsCompletedSuccessfully);
        Assert.Equal(10m, (await recovered).Balance);
    }

    [Fact]
    public async Task GetBalanceAsync_NeverKnownAndChainDown_UnknownThenAnsweredWithoutWaiting()
    {
        var rig = new CachingRig();
        rig.Inner.Failing = true;

        Assert.Equal(BalanceResult.Unknown, await rig.Get());
        ValueTask<BalanceResult> again = rig.Get();

        Assert.True(again.IsCompletedSuccessfully);
        Assert.Equal(BalanceResult.Unknown, await again);
        Assert.Equal(1, rig.Inner.TotalCalls);
    }

    [Fact]
    public async Task GetBalanceAsync_InnerSourceThrows_UnknownAndLogged()
    {
        var rig = new CachingRig();
        rig.Inner.Throwing = true;

        Assert.Equal(BalanceResult.Unknown, await rig.Get());
        Assert.Contains(rig.Logger.Collector.GetSnapshot(), e => e.Id.Id == 3205);
        Assert.Equal(0, rig.Source.InFlightCount);
    }

    [Fact]
    public async Task GetBalanceAsync_StalenessShorterThanTtl_UnknownOnceExpiredAndFailing()
    {
        var rig = new CachingRig(new RateLimitingOptions { BalanceCacheTtl = TimeSpan.FromSeconds(60), BalanceMaxStaleness = TimeSpan.Zero });
        await rig.PrimeAsync(5000m);
        rig.Inner.Failing = true;
        rig.Clock.Advance(rig.Ttl * 0.5);
        Assert.Equal(5000m, (await rig.Get()).Balance);

        rig.Clock.Advance(rig.Ttl * 0.5);
        Assert.Equal(BalanceResult.Unknown, await rig.Get());
    }
}
