using SessionGate.Balances;
using SessionGate.IntegrationTests.Infrastructure;
using SessionGate.RateLimiting;
using SessionGate.AspNetCore.RateLimiting;
using SessionGate.Testing.Nodes;

namespace SessionGate.IntegrationTests.Balances;

/// <summary>Balances read from a real HTTP node move accounts between tiers; a dead node degrades to the lowest tier.</summary>
public sealed class BalanceTierTests
{
    private const string Account = "kira1qypqxpq9qcrsszg2pvxq6rs0zqg3yyc50dxs83";
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task ResolveAsync_BalanceChangesOnChain_AccountMovesBetweenTiersAfterTheCacheTtl()
    {
        await using FakeCosmosRestNode node = await FakeCosmosRestNode.StartAsync();
        using var rig = new BalanceTierRig(node.BaseUri.AbsoluteUri, new RateLimitingOptions { BalanceCacheTtl = TimeSpan.FromMilliseconds(200) });
        node.SetKex(Account, 10);
        Assert.Equal("free", await rig.TierAsync(Account));

        foreach ((long kex, string tier) in new[] { (5_000L, "holder"), (250_000L, "whale"), (999L, "free") })
        {
            node.SetKex(Account, kex);
            await Eventually.HoldsAsync(async () => await rig.TierAsync(Account) == tier, Deadline, $"{kex} KEX moves the account to {tier}");
        }
    }

    [Fact]
    public async Task ResolveAsync_RepeatedWithinTtl_AsksTheNodeOnce()
    {
        await using FakeCosmosRestNode node = await FakeCosmosRestNode.StartAsync();
        using var rig = new BalanceTierRig(node.BaseUri.AbsoluteUri, new RateLimitingOptions { BalanceCacheTtl = TimeSpan.FromMinutes(5) });
        node.SetKex(Account, 5_000);

        for (int i = 0; i < 100; i++)
        {
            Assert.Equal("holder", await rig.TierAsync(Account));
        }

        Assert.Equal(1, node.RequestCount);
    }

    [Fact]
    public async Task ResolveAsync_NodeGoesDown_LastKnownBalanceKeptThenLowestTierAfterStaleness()
    {
        await using FakeCosmosRestNode node = await FakeCosmosRestNode.StartAsync();
        var options = new RateLimitingOptions { BalanceCacheTtl = TimeSpan.FromMilliseconds(200), BalanceMaxStaleness = TimeSpan.FromSeconds(3) };
        using var rig = new BalanceTierRig(node.BaseUri.AbsoluteUri, options);
        node.SetKex(Account, 5_000);
        Assert.Equal("holder", await rig.TierAsync(Account));

        await node.StopAsync();

        // Past the TTL with the node gone: the stale balance is still used, and says how old it is.
        await Eventually.HoldsAsync(
            async () =>
            {
                BalanceResult stale = await rig.Cache.GetBalanceAsync(Account);
                return stale.Known && stale.Balance == 5_000m && DateTimeOffset.UtcNow - stale.AsOf > options.BalanceCacheTtl;
            },
            Deadline,
            "the last known balance is served past the TTL while the node is down");
        Assert.Equal("holder", await rig.TierAsync(Account));

        await Eventually.HoldsAsync(async () => await rig.TierAsync(Account) == "free", Deadline, "past the staleness limit the lowest tier applies");
        Assert.Equal(BalanceResult.Unknown, await rig.Cache.GetBalanceAsync(Account));
    }

    [Fact]
    public async Task ResolveAsync_NodeDownFromTheStart_LowestTierWithoutWaitingEachTime()
    {
        await using FakeCosmosRestNode node = await FakeCosmosRestNode.StartAsync();
        using var rig = new BalanceTierRig(node.BaseUri.AbsoluteUri, new RateLimitingOptions());
        await node.StopAsync();

        Assert.Equal("free", await rig.TierAsync(Account));
        ValueTask<QuotaPolicy> second = rig.Resolver.ResolveAsync(Account);

        Assert.True(second.IsCompletedSuccessfully, "after a failed fetch the answer comes from the cache");
        Assert.Equal("free", (await second).Name);
    }

    [Fact]
    public async Task ResolveAsync_InterxBalancesTemplate_ReadsTheSameJson()
    {
        await using FakeCosmosRestNode node = await FakeCosmosRestNode.StartAsync();
        using var rig = new BalanceTierRig(node.BaseUri.AbsoluteUri + "api/kira/balances/{address}", new RateLimitingOptions());
        node.SetKex(Account, 100_000);

        Assert.Equal("whale", await rig.TierAsync(Account));
    }

    [Fact]
    public async Task ResolveAsync_AmountBeyond64Bits_HighestTier()
    {
        await using FakeCosmosRestNode node = await FakeCosmosRestNode.StartAsync();
        using var rig = new BalanceTierRig(node.BaseUri.AbsoluteUri, new RateLimitingOptions());
        node.SetUkex(Account, "115792089237316195423570985008687907853269984665640564039457584007913129639935");

        Assert.Equal("whale", await rig.TierAsync(Account));
    }
}
