using SessionGate.Balances;
using SessionGate.RateLimiting;

namespace SessionGate.Tests.Balances;

public sealed class CachingBalanceSourceTtlTests
{
    [Fact]
    public async Task GetBalanceAsync_WithinTtl_AnswersSynchronouslyFromTheCache()
    {
        var rig = new CachingRig();
        BalanceResult first = await rig.PrimeAsync(1500m);
        rig.Inner.Balances[CachingRig.Account] = 9m;
        rig.Clock.Advance(rig.Ttl * 0.5);

        ValueTask<BalanceResult> second = rig.Get();

        Assert.True(second.IsCompletedSuccessfully);
        Assert.Equal(first, await second);
        Assert.Equal(1500m, first.Balance);
        Assert.Equal(1, rig.Inner.TotalCalls);
    }

    [Fact]
    public async Task GetBalanceAsync_Cached_DoesNotAllocate()
    {
        var rig = new CachingRig();
        await rig.PrimeAsync(1500m);
        _ = rig.Get();

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 1000; i++)
        {
            _ = rig.Get();
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    [Fact]
    public async Task GetBalanceAsync_AfterTtl_FetchesAgain()
    {
        var rig = new CachingRig();
        await rig.PrimeAsync(1500m);
        rig.Inner.Balances[CachingRig.Account] = 200_000m;
        rig.Clock.Advance(rig.Ttl);

        BalanceResult result = await rig.Get();

        Assert.Equal(200_000m, result.Balance);
        Assert.Equal(rig.Clock.GetUtcNow(), result.AsOf);
        Assert.Equal(2, rig.Inner.TotalCalls);
    }

    [Fact]
    public async Task GetBalanceAsync_BeforeEightyPercentOfTtl_StartsNoRefresh()
    {
        var rig = new CachingRig();
        await rig.PrimeAsync(1500m);
        rig.Clock.Advance(rig.Ttl * 0.79);

        await rig.Get();

        Assert.Equal(0, rig.Source.InFlightCount);
        Assert.Equal(1, rig.Inner.TotalCalls);
    }

    [Fact]
    public async Task GetBalanceAsync_ConfiguredTtl_IsUsed()
    {
        var rig = new CachingRig(new RateLimitingOptions { BalanceCacheTtl = TimeSpan.FromSeconds(5) });
        await rig.PrimeAsync(1m);
        rig.Inner.Balances[CachingRig.Account] = 2m;
        rig.Clock.Advance(TimeSpan.FromSeconds(5));

        Assert.Equal(2m, (await rig.Get()).Balance);
    }

    [Fact]
    public async Task GetBalanceAsync_AccountsAreCachedSeparately()
    {
        var rig = new CachingRig();
        await rig.PrimeAsync(1m, "kira1a");
        await rig.PrimeAsync(2m, "kira1b");

        Assert.Equal(1m, (await rig.Get("kira1a")).Balance);
        Assert.Equal(2m, (await rig.Get("kira1b")).Balance);
        Assert.Equal(2, rig.Inner.TotalCalls);
    }

    [Fact]
    public async Task GetBalanceAsync_StringLongerThanAnyAccount_ZeroWithoutLookupOrEntry()
    {
        var rig = new CachingRig();

        BalanceResult result = await rig.Get(new string('q', CachingBalanceSource.MaxAccountLength + 1));

        Assert.Equal(new BalanceResult(true, 0m, rig.Clock.GetUtcNow()), result);
        Assert.Equal(0, rig.Inner.TotalCalls);
        Assert.Equal(0, rig.Source.Count);
    }
}
