using SessionGate.IntegrationTests.Infrastructure;
using SessionGate.IntegrationTests.Keys;
using SessionGate.RateLimiting.Tiers;
using SessionGate.Storage.Redis;
using StackExchange.Redis;

namespace SessionGate.IntegrationTests.Balances;

/// <summary>Tier overrides shared by two instances through a real redis-server.</summary>
public sealed class RedisTierOverrideStoreTests(RedisServerFixture redis) : IClassFixture<RedisServerFixture>
{
    private const string Account = "kira1qypqxpq9qcrsszg2pvxq6rs0zqg3yyc50dxs83";
    private static readonly TimeSpan OneSecond = TimeSpan.FromSeconds(1);

    [Fact]
    public async Task SetAsync_OnOneInstance_WriterAtOnceAndOtherWithinOneSecond()
    {
        string prefix = RedisServerFixture.NewPrefix();
        await using OverrideStoreInstance a = await OverrideStoreInstance.StartAsync(redis.Server, prefix);
        await using OverrideStoreInstance b = await OverrideStoreInstance.StartAsync(redis.Server, prefix);

        await a.Store.SetAsync(Account, "whale");

        Assert.Equal("whale", await a.Store.GetAsync(Account));
        await Eventually.HoldsAsync(async () => await b.Store.GetAsync(Account) == "whale", OneSecond, "instance B sees A's override");

        await b.Store.SetAsync(Account, null);
        Assert.Null(await b.Store.GetAsync(Account));
        await Eventually.HoldsAsync(async () => await a.Store.GetAsync(Account) is null, OneSecond, "instance A sees B's removal");
    }

    [Fact]
    public async Task SetAsync_NotificationsLost_PollingStillPropagatesWithinOneSecond()
    {
        string prefix = RedisServerFixture.NewPrefix();
        var pollOnly = new RedisTierOverrideStoreOptions { SubscribeToChanges = false };
        await using OverrideStoreInstance a = await OverrideStoreInstance.StartAsync(redis.Server, prefix, pollOnly);
        await using OverrideStoreInstance b = await OverrideStoreInstance.StartAsync(redis.Server, prefix, pollOnly);

        await a.Store.SetAsync(Account, "holder");
        await a.Store.SetAsync("kira1second", "whale");

        await Eventually.HoldsAsync(
            async () => await b.Store.GetAsync(Account) == "holder" && await b.Store.GetAsync("kira1second") == "whale",
            OneSecond,
            "instance B reloads after its counter poll");
    }

    [Fact]
    public async Task StartAsync_OverridesAlreadyInRedis_LoadedByANewInstance()
    {
        string prefix = RedisServerFixture.NewPrefix();
        await using (OverrideStoreInstance first = await OverrideStoreInstance.StartAsync(redis.Server, prefix))
        {
            await first.Store.SetAsync(Account, "holder");
            await first.Store.SetAsync("KIRA1UPPER", "whale");
        }

        await using OverrideStoreInstance later = await OverrideStoreInstance.StartAsync(redis.Server, prefix);

        Assert.Equal("holder", await later.Store.GetAsync(Account));
        Assert.Equal("whale", await later.Store.GetAsync("kira1upper"));
        Assert.Equal(2, later.Store.Count);
    }

    [Fact]
    public async Task SetAsync_ManyChangesFromBothInstances_BothEndWithTheSameOverrides()
    {
        string prefix = RedisServerFixture.NewPrefix();
        await using OverrideStoreInstance a = await OverrideStoreInstance.StartAsync(redis.Server, prefix);
        await using OverrideStoreInstance b = await OverrideStoreInstance.StartAsync(redis.Server, prefix);

        await Task.WhenAll(
            Task.Run(async () =>
            {
                for (int i = 0; i < 50; i++)
                {
                    await a.Store.SetAsync("kira1acct" + (i % 10), i % 3 == 0 ? null : "holder" + i);
                }
            }),
            Task.Run(async () =>
            {
                for (int i = 0; i < 50; i++)
                {
                    await b.Store.SetAsync("kira1acct" + (i % 7), "whale" + i);
                }
            }));

        HashEntry[] truth = await a.Connection.RunAsync(db => db.HashGetAllAsync(a.Connection.Key("{tiers}:overrides")));
        await Eventually.HoldsAsync(
            async () =>
            {
                foreach (OverrideStoreInstance instance in new[] { a, b })
                {
                    for (int i = 0; i < 10; i++)
                    {
                        string account = "kira1acct" + i;
                        string? expected = truth.FirstOrDefault(e => e.Name == account).Value;
                        if (await instance.Store.GetAsync(account) != expected)
                        {
                            return false;
                        }
                    }
                }

                return true;
            },
            OneSecond,
            "both instances converge on what Redis holds");
    }

    [Fact]
    public async Task SetAsync_MoreOverridesThanTheLimit_RefusesNewAccounts()
    {
        string prefix = RedisServerFixture.NewPrefix();
        await using OverrideStoreInstance a = await OverrideStoreInstance.StartAsync(redis.Server, prefix, new RedisTierOverrideStoreOptions { MaxOverrides = 2 });
        await a.Store.SetAsync("kira1a", "holder");
        await a.Store.SetAsync("kira1b", "holder");

        await Assert.ThrowsAsync<InvalidOperationException>(() => a.Store.SetAsync("kira1c", "holder"));
        await a.Store.SetAsync("kira1a", "whale");
        Assert.Equal("whale", await a.Store.GetAsync("kira1a"));
        Assert.Null(await a.Store.GetAsync("kira1c"));
    }
}
