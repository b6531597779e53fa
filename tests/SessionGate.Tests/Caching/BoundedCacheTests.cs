using Microsoft.Extensions.Time.Testing;
using SessionGate.Caching;
using SessionGate.Testing;

namespace SessionGate.Tests.Caching;

public sealed class BoundedCacheTests
{
    [Fact]
    public void Set_ManyMoreKeysThanCapacity_NeverHoldsMoreThanCapacity()
    {
        var cache = new BoundedCache<int, int>(1000, new FakeTimeProvider(TestTime.Start));
        for (int i = 0; i < 100_000; i++)
        {
            cache.Set(i, i, TimeSpan.FromMinutes(1));
            Assert.True(cache.Count <= 1000);
        }

        Assert.True(cache.TryGet(99_999, out int last));
        Assert.Equal(99_999, last);
        Assert.False(cache.TryGet(0, out _));
    }

    [Fact]
    public void TryGet_AfterTimeToLive_Misses()
    {
        var time = new FakeTimeProvider(TestTime.Start);
        var cache = new BoundedCache<string, string>(10, time);
        cache.Set("a", "1", TimeSpan.FromSeconds(5));

        time.Advance(TimeSpan.FromSeconds(4));
        Assert.True(cache.TryGet("a", out _));
        time.Advance(TimeSpan.FromSeconds(2));
        Assert.False(cache.TryGet("a", out _));
    }

    [Fact]
    public void TryGet_FrequentlyUsedEntry_SurvivesRotations()
    {
        var cache = new BoundedCache<int, int>(100, new FakeTimeProvider(TestTime.Start));
        cache.Set(-1, -1, TimeSpan.FromHours(1));
        for (int i = 0; i < 10_000; i++)
        {
            cache.Set(i, i, TimeSpan.FromHours(1));
            Assert.True(cache.TryGet(-1, out _), $"lost the hot entry at {i}");
        }
    }

    [Fact]
    public void SetRemoveClear_BehaveAsExpected()
    {
        var cache = new BoundedCache<int, int>(10, new FakeTimeProvider(TestTime.Start));
        cache.Set(1, 1, TimeSpan.FromMinutes(1));
        cache.Set(1, 2, TimeSpan.FromMinutes(1));
        Assert.True(cache.TryGet(1, out int value));
        Assert.Equal(2, value);
        cache.Remove(1);
        Assert.False(cache.TryGet(1, out _));
        cache.Set(2, 2, TimeSpan.Zero);
        Assert.False(cache.TryGet(2, out _));
        cache.Set(3, 3, TimeSpan.FromMinutes(1));
        cache.Clear();
        Assert.Equal(0, cache.Count);
    }
}
