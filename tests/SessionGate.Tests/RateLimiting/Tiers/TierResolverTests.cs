using Microsoft.Extensions.Logging.Testing;
using SessionGate.Balances;
using SessionGate.RateLimiting;
using SessionGate.RateLimiting.Tiers;

namespace SessionGate.Tests.RateLimiting.Tiers;

public sealed class TierResolverTests
{
    private const string Account = "kira1qypqxpq9qcrsszg2pvxq6rs0zqg3yyc50dxs83";

    public static TheoryData<decimal, string> DefaultTable => new()
    {
        { 0m, "free" },
        { 999.999999m, "free" },
        { 1000m, "holder" },
        { 99_999.99m, "holder" },
        { 100_000m, "whale" },
        { decimal.MaxValue, "whale" },
    };

    [Theory]
    [MemberData(nameof(DefaultTable))]
    public async Task ResolveAsync_KnownBalance_HighestTierReached(decimal balance, string expected)
    {
        var balances = new StubBalanceSource { Result = StubBalanceSource.Known(balance) };
        TierResolver resolver = Create(balances);

        Assert.Equal(expected, (await resolver.ResolveAsync(Account)).Name);
    }

    [Fact]
    public async Task ResolveAsync_UnknownBalance_LowestTierNeverUnlimited()
    {
        var options = new RateLimitingOptions
        {
            Tiers =
            [
                new TierDefinition { Name = "whale", MinBalance = 100_000, PermitsPerMinute = 6000, Burst = 1000 },
                new TierDefinition { Name = "basic", MinBalance = 10, PermitsPerMinute = 30, Burst = 5, DailyQuota = 1000 },
            ],
        };
        TierResolver resolver = Create(new StubBalanceSource { Result = BalanceResult.Unknown }, options: options);

        Assert.Equal(new QuotaPolicy("basic", 30, 5, 1000), await resolver.ResolveAsync(Account));
    }

    [Fact]
    public async Task ResolveAsync_BalanceBelowEveryMinBalance_LowestTier()
    {
        var options = new RateLimitingOptions
        {
            Tiers =
            [
                new TierDefinition { Name = "basic", MinBalance = 10, PermitsPerMinute = 30, Burst = 5 },
                new TierDefinition { Name = "pro", MinBalance = 500, PermitsPerMinute = 300, Burst = 50 },
            ],
        };
        TierResolver resolver = Create(new StubBalanceSource { Result = StubBalanceSource.Known(3) }, options: options);

        Assert.Equal("basic", (await resolver.ResolveAsync(Account)).Name);
    }

    [Fact]
    public async Task ResolveAsync_OverrideSet_WinsOverBalanceWithoutReadingIt()
    {
        var balances = new StubBalanceSource { Result = StubBalanceSource.Known(0) };
        var overrides = new InMemoryTierOverrideStore();
        await overrides.SetAsync(Account, "WHALE");
        TierResolver resolver = Create(balances, overrides);

        QuotaPolicy policy = await resolver.ResolveAsync(Account);

        Assert.Equal(new QuotaPolicy("whale", 6000, 1000), policy);
        Assert.Equal(0, balances.Calls);
    }

    [Fact]
    public async Task ResolveAsync_OverrideCanLowerATier()
    {
        var overrides = new InMemoryTierOverrideStore();
        await overrides.SetAsync(Account, "free");
        TierResolver resolver = Create(new StubBalanceSource { Result = StubBalanceSource.Known(1_000_000) }, overrides);

        Assert.Equal("free", (await resolver.ResolveAsync(Account)).Name);
    }

    [Fact]
    public async Task ResolveAsync_OverrideNamesNoTier_BalanceTierAndDebugLog()
    {
        var overrides = new InMemoryTierOverrideStore();
        await overrides.SetAsync(Account, "platinum");
        var logger = new FakeLogger<TierResolver>();
        TierResolver resolver = Create(new StubBalanceSource { Result = StubBalanceSource.Known(1000) }, overrides, logger: logger);

        Assert.Equal("holder", (await resolver.ResolveAsync(Account)).Name);
        Assert.Contains(logger.Collector.GetSnapshot(), e => e.Id.Id == 3220);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task ResolveAsync_OverrideStoreFails_BalanceTier(bool synchronously)
    {
        TierResolver resolver = Create(new StubBalanceSource { Result = StubBalanceSource.Known(100_000) }, new FailingOverrideStore(synchronously));

        Assert.Equal("whale", (await resolver.ResolveAsync(Account)).Name);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task ResolveAsync_BalanceSourceThrows_LowestTier(bool synchronously)
    {
        var balances = new StubBalanceSource { Throw = new HttpRequestException("boom"), ThrowSynchronously = synchronously };
        var logger = new FakeLogger<TierResolver>();
        TierResolver resolver = Create(balances, logger: logger);

        Assert.Equal("free", (await resolver.ResolveAsync(Account)).Name);
        Assert.Contains(logger.Collector.GetSnapshot(), e => e.Id.Id == 3222);
    }

    [Fact]
    public async Task ResolveAsync_BalanceArrivesLater_WaitsForIt()
    {
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var balances = new StubBalanceSource { Result = StubBalanceSource.Known(5000), Gate = gate.Task };
        TierResolver resolver = Create(balances);

        ValueTask<QuotaPolicy> pending = resolver.ResolveAsync(Account);
        Assert.False(pending.IsCompleted);
        gate.SetResult();

        Assert.Equal("holder", (await pending).Name);
    }

    [Fact]
    public async Task ResolveAsync_EverythingCached_CompletesSynchronouslyWithoutAllocating()
    {
        TierResolver resolver = Create(new StubBalanceSource { Result = StubBalanceSource.Known(5000) });
        _ = resolver.ResolveAsync(Account);

        long before = GC.GetAllocatedBytesForCurrentThread();
        ValueTask<QuotaPolicy> pending = default;
        for (int i = 0; i < 1000; i++)
        {
            pending = resolver.ResolveAsync(Account);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        Assert.True(pending.IsCompletedSuccessfully);
        Assert.Equal("holder", (await pending).Name);
    }

    [Fact]
    public async Task ResolveAsync_CallerCancelsWhileWaiting_Throws()
    {
        using var cancel = new CancellationTokenSource();
        var balances = new CancellableBalanceSource();
        TierResolver resolver = Create(balances);

        ValueTask<QuotaPolicy> pending = resolver.ResolveAsync(Account, cancel.Token);
        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => pending.AsTask());
    }

    [Fact]
    public void Anonymous_FromOptions()
    {
        var options = new RateLimitingOptions { Anonymous = new AnonymousLimits { PermitsPerMinute = 12, Burst = 3, DailyQuota = 500 } };

        Assert.Equal(new QuotaPolicy("anonymous", 12, 3, 500), Create(new StubBalanceSource(), options: options).Anonymous);
    }

    [Fact]
    public void TiersAndLowest_OrderedByMinBalance()
    {
        TierResolver resolver = Create(new StubBalanceSource());

        Assert.Equal(["free", "holder", "whale"], resolver.Tiers.Select(t => t.Name));
        Assert.Equal("free", resolver.Lowest.Name);
        Assert.True(resolver.TryGetTier("Holder", out QuotaPolicy? holder));
        Assert.Equal(600, holder.PermitsPerMinute);
        Assert.False(resolver.TryGetTier("platinum", out _));
    }

    [Fact]
    public void Constructor_InvalidTable_ThrowsNamingEveryProblem()
    {
        var options = new RateLimitingOptions
        {
            Tiers = [new TierDefinition { Name = "", MinBalance = -1, PermitsPerMinute = 0, Burst = 0 }],
        };

        var error = Assert.Throws<ArgumentException>(() => Create(new StubBalanceSource(), options: options));

        Assert.Contains("SessionGate:RateLimiting:Tiers:0:Name", error.Message, StringComparison.Ordinal);
        Assert.Contains("SessionGate:RateLimiting:Tiers:0:Burst", error.Message, StringComparison.Ordinal);
    }

    private static TierResolver Create(
        IBalanceSource balances, ITierOverrideStore? overrides = null, RateLimitingOptions? options = null, FakeLogger<TierResolver>? logger = null) =>
        new(balances, overrides ?? new InMemoryTierOverrideStore(), options ?? new RateLimitingOptions(), logger ?? new FakeLogger<TierResolver>());

    private sealed class CancellableBalanceSource : IBalanceSource
    {
        public async ValueTask<BalanceResult> GetBalanceAsync(string account, CancellationToken cancellationToken = default)
        {
            await Task.Delay(Timeout.Infinite, cancellationToken);
            return BalanceResult.Unknown;
        }
    }
}
