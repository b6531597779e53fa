using Microsoft.Extensions.Logging.Abstractions;
using SessionGate.Balances;
using SessionGate.IntegrationTests.Infrastructure;
using SessionGate.RateLimiting;
using SessionGate.AspNetCore.RateLimiting;
using SessionGate.RateLimiting.Tiers;
using SessionGate.Storage.Redis;

namespace SessionGate.IntegrationTests.Balances;

/// <summary>Redis dies under the override store: requests keep resolving tiers; changes resume after it returns.</summary>
public sealed class RedisTierOverrideOutageTests
{
    private const string Account = "kira1qypqxpq9qcrsszg2pvxq6rs0zqg3yyc50dxs83";

    [Fact]
    public async Task ResolveAsync_RedisKilled_OverridesInHandStillApplyAndWritesFailCleanly()
    {
        await using RedisServer server = await RedisServer.StartAsync();
        string prefix = Keys.RedisServerFixture.NewPrefix();
        TimeSpan timeout = TimeSpan.FromMilliseconds(300);
        await using OverrideStoreInstance a = await OverrideStoreInstance.StartAsync(server, prefix, operationTimeout: timeout);
        await using OverrideStoreInstance b = await OverrideStoreInstance.StartAsync(server, prefix, operationTimeout: timeout);
        var balances = new FixedBalance(new BalanceResult(true, 0m, DateTimeOffset.UtcNow));
        var resolver = new TierResolver(balances, b.Store, new RateLimitingOptions(), NullLogger<TierResolver>.Instance);
        await a.Store.SetAsync(Account, "whale");
        await Eventually.HoldsAsync(async () => (await resolver.ResolveAsync(Account)).Name == "whale", TimeSpan.FromSeconds(1), "B applies the override");

        await server.KillAsync();

        ValueTask<QuotaPolicy> during = resolver.ResolveAsync(Account);
        Assert.True(during.IsCompletedSuccessfully, "resolving never waits on Redis");
        Assert.Equal("whale", (await during).Name);
        Assert.Equal("free", (await resolver.ResolveAsync("kira1nooverride")).Name);
        await Assert.ThrowsAsync<RedisUnavailableException>(() => a.Store.SetAsync(Account, "holder"));
        Assert.Equal("whale", await a.Store.GetAsync(Account));

        // Redis comes back empty (no persistence): both instances drop the override, and new writes flow again.
        await server.RestartAsync();
        await Eventually.HoldsAsync(async () => (await resolver.ResolveAsync(Account)).Name == "free", TimeSpan.FromSeconds(20), "B reloads what Redis now holds");
        await Eventually.HoldsAsync(
            async () =>
            {
                try
                {
                    await a.Store.SetAsync(Account, "holder");
                    return true;
                }
                catch (RedisUnavailableException)
                {
                    return false;
                }
            },
            TimeSpan.FromSeconds(20),
            "writes succeed once A reconnects");
        await Eventually.HoldsAsync(async () => (await resolver.ResolveAsync(Account)).Name == "holder", TimeSpan.FromSeconds(5), "B follows changes again");
    }

    private sealed class FixedBalance(BalanceResult result) : IBalanceSource
    {
        public ValueTask<BalanceResult> GetBalanceAsync(string account, CancellationToken cancellationToken = default) => new(result);
    }
}
