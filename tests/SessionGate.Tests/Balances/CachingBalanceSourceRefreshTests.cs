using SessionGate.Balances;
using SessionGate.Tests.Chain;

namespace SessionGate.Tests.Balances;

/// <summary>Stale-while-revalidate: refreshing in the background before the TTL runs out.</summary>
public sealed class CachingBalanceSourceRefreshTests
{
    [Fact]
    public async Task GetBalanceAsync_PastEightyPercentOfTtl_AnswersCachedAndRefreshesOnceInBackground()
    {
        var rig = new CachingRig();
        BalanceResult cached = await rig.PrimeAsync(1500m);
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        rig.Inner.Gate = gate.Task;
        rig.Inner.Balances[CachingRig.Account] = 200_000m;
        rig.Clock.Advance(rig.Ttl * 0.85);

        for (int i = 0; i < 10; i++)
        {
            ValueTask<BalanceResult> answer = rig.Get();
            Assert.True(answer.IsCompletedSuccessfully, "a caller never waits for the refresh");
            Assert.Equal(cached, await answer);
        }

        Assert.Equal(1, rig.Source.InFlightCount);
        await Wait.UntilAsync(() => rig.Inner.TotalCalls == 2, "the background refresh reaches the source");
        gate.SetResult();
        await rig.SettledAsync();

        ValueTask<BalanceResult> refreshed = rig.Get();
        Assert.True(refreshed.IsCompletedSuccessfully);
        Assert.Equal(200_000m, (await refreshed).Balance);
        Assert.Equal(2, rig.Inner.TotalCalls);
    }

    [Fact]
    public async Task GetBalanceAsync_AfterBackgroundRefresh_TtlCountsFromTheRefresh()
    {
        var rig = new CachingRig();
        await rig.PrimeAsync(1m);
        rig.Clock.Advance(rig.Ttl * 0.9);
        rig.Inner.Balances[CachingRig.Account] = 2m;
        await rig.Get();
        await rig.SettledAsync();

        rig.Clock.Advance(rig.Ttl * 0.5);
        ValueTask<BalanceResult> answer = rig.Get();

        Assert.True(answer.IsCompletedSuccessfully);
        Assert.Equal(2m, (await answer).Balance);
        Assert.Equal(2, rig.Inner.TotalCalls);
    }

    [Fact]
    public async Task GetBalanceAsync_BackgroundRefreshFails_KeepsTheValueUntilTtlAndRetriesAfterTheInterval()
    {
        var rig = new CachingRig(retryInterval: TimeSpan.FromSeconds(10));
        await rig.PrimeAsync(1500m);
        rig.Inner.Failing = true;
        rig.Clock.Advance(rig.Ttl * 0.85);
        await rig.Get();
        await rig.SettledAsync();
        Assert.Equal(2, rig.Inner.TotalCalls);

        rig.Clock.Advance(TimeSpan.FromSeconds(5));
        ValueTask<BalanceResult> withinRetryInterval = rig.Get();
        Assert.True(withinRetryInterval.IsCompletedSuccessfully);
        Assert.Equal(1500m, (await withinRetryInterval).Balance);
        Assert.Equal(0, rig.Source.InFlightCount);

        rig.Inner.Failing = false;
        rig.Inner.Balances[CachingRig.Account] = 3m;
        rig.Clock.Advance(TimeSpan.FromSeconds(5));
        Assert.Equal(1500m, (await rig.Get()).Balance);
        await rig.SettledAsync();

        Assert.Equal(3m, (await rig.Get()).Balance);
        Assert.Equal(3, rig.Inner.TotalCalls);
    }
}
