using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Time.Testing;
using SessionGate.Balances;
using SessionGate.RateLimiting;
using SessionGate.Testing;
using Xunit.Abstractions;

namespace SessionGate.Tests.Balances;

public sealed class CachingBalanceSourceMemoryTests(ITestOutputHelper output)
{
    /// <summary>
    /// One million distinct accounts through a cache of 1,000: it never holds more than its bound,
    /// nothing stays in flight, and the heap grows by a bounded amount (a generous 100 MB: a million
    /// cached entries would be well over that). The bound is small to keep the test fast: each
    /// insert into <see cref="Caching.BoundedCache{TKey,TValue}"/> reads ConcurrentDictionary.Count,
    /// whose cost grows with the dictionary's lock count (about 0.5 µs per insert at 1,000 entries,
    /// 5 µs at 10,000, 25 µs at 100,000 here).
    /// </summary>
    [Fact]
    public async Task GetBalanceAsync_OneMillionDistinctAccounts_KeepsMemoryBounded()
    {
        var time = new FakeTimeProvider(TestTime.Start);
        var source = new CachingBalanceSource(new ConstantSource(time), new RateLimitingOptions().BalanceCache, time, new FakeLogger<CachingBalanceSource>(), capacity: 1_000);

        GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
        long before = GC.GetTotalMemory(forceFullCollection: true);
        for (int i = 0; i < 1_000_000; i++)
        {
            BalanceResult result = await source.GetBalanceAsync("kira1account" + i);
            Assert.True(result.Known);
            if (i % 100_000 == 0)
            {
                Assert.True(source.Count <= 1_000, $"cache holds {source.Count}");
            }
        }

        Assert.True(source.Count <= 1_000, $"cache holds {source.Count}");
        Assert.Equal(0, source.InFlightCount);
        long growthMb = (GC.GetTotalMemory(forceFullCollection: true) - before) / (1024 * 1024);
        output.WriteLine($"managed heap growth after 1,000,000 accounts: {growthMb} MB; cached: {source.Count}");
        Assert.True(growthMb < 100, $"managed heap grew by {growthMb} MB");
    }

    private sealed class ConstantSource(TimeProvider time) : IBalanceSource
    {
        public ValueTask<BalanceResult> GetBalanceAsync(string account, CancellationToken cancellationToken = default) =>
            new(new BalanceResult(true, 1000m, time.GetUtcNow()));
    }
}
