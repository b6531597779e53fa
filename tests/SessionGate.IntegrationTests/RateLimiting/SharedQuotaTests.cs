using SessionGate.IntegrationTests.Infrastructure;
using SessionGate.IntegrationTests.Keys;
using SessionGate.RateLimiting;
using SessionGate.AspNetCore.RateLimiting;
using SessionGate.RateLimiting.Quotas;
using Xunit.Abstractions;

namespace SessionGate.IntegrationTests.RateLimiting;

/// <summary>Several gateway instances (each with its own connection) enforcing one quota through one Redis.</summary>
public sealed class SharedQuotaTests(RedisServerFixture redis, ITestOutputHelper output) : IClassFixture<RedisServerFixture>
{
    [Fact]
    public async Task AcquireAsync_ThreeInstancesConcurrentLoad_AdmitNoMoreThanQuotaPlusOnePercent()
    {
        string prefix = RedisServerFixture.NewPrefix();
        LimiterInstance[] instances = await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => LimiterInstance.StartAsync(() => redis.Server.ConnectAsync(prefix))));
        try
        {
            // Burst 1000, refill one unit per minute: the whole run can earn at most a unit or two.
            var policy = new QuotaPolicy("load", 1, 1000);

            QuotaDecision[] decisions = await QuotaLoad.RunAsync(instances, "acct:load", policy, perInstance: 1500);

            int allowed = decisions.Count(d => d.Allowed);
            output.WriteLine($"3 instances x 1500 concurrent requests, burst 1000: {allowed} admitted");
            Assert.DoesNotContain(decisions, d => d.Degraded || d.Rejection == QuotaRejection.Unavailable);
            Assert.InRange(allowed, 1000, 1010);
            Assert.All(decisions.Where(d => !d.Allowed), d => Assert.Equal(QuotaRejection.RateLimited, d.Rejection));
        }
        finally
        {
            foreach (LimiterInstance instance in instances)
            {
                await instance.DisposeAsync();
            }
        }
    }

    [Fact]
    public async Task AcquireAsync_InstancesWithSkewedClocks_AgreeBecauseRedisKeepsTime()
    {
        string prefix = RedisServerFixture.NewPrefix();
        await using LimiterInstance early = await LimiterInstance.StartAsync(() => redis.Server.ConnectAsync(prefix), timeProvider: new SkewedTimeProvider(TimeSpan.FromHours(-3)));
        await using LimiterInstance late = await LimiterInstance.StartAsync(() => redis.Server.ConnectAsync(prefix), timeProvider: new SkewedTimeProvider(TimeSpan.FromHours(5)));
        var policy = new QuotaPolicy("t", 60, 10, 1000);

        QuotaDecision first = await early.Limiter.AcquireAsync("acct:skew", policy, 6);
        QuotaDecision second = await late.Limiter.AcquireAsync("acct:skew", policy, 6);
        QuotaDecision peek = await early.Limiter.PeekAsync("acct:skew", policy);

        Assert.True(first.Allowed);
        Assert.False(second.Allowed);
        Assert.InRange(second.Reset, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2));
        Assert.Equal(994, second.DailyRemaining);
        Assert.InRange(peek.Remaining, 4, 5);
    }

    [Fact]
    public async Task AcquireAsync_AfterScriptFlush_ReloadsScriptAndStaysShared()
    {
        await using LimiterInstance instance = await LimiterInstance.StartAsync(() => redis.Server.ConnectAsync());
        var policy = new QuotaPolicy("t", 60, 10);
        await instance.Limiter.AcquireAsync("acct:flush", policy, 4);

        (int code, _) = await RedisCluster.RedisCliAsync(["-p", redis.Server.Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "SCRIPT", "FLUSH"]);
        QuotaDecision after = await instance.Limiter.AcquireAsync("acct:flush", policy, 4);

        Assert.Equal(0, code);
        Assert.False(after.Degraded);
        Assert.True(after.Allowed);
        Assert.InRange(after.Remaining, 2, 3);
    }

    [Fact]
    public async Task AcquireAsync_Keys_HashTaggedByPartitionAndExpiring()
    {
        string prefix = RedisServerFixture.NewPrefix();
        await using LimiterInstance instance = await LimiterInstance.StartAsync(() => redis.Server.ConnectAsync(prefix));
        var policy = new QuotaPolicy("t", 60, 10, 100);

        await instance.Limiter.AcquireAsync("acct:kira1ttl", policy, 3);

        string port = redis.Server.Port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        (_, string keys) = await RedisCluster.RedisCliAsync(["-p", port, "--scan", "--pattern", prefix + "*"]);
        Assert.Equal(
            [prefix + "ratelimit:{acct:kira1ttl}:day", prefix + "ratelimit:{acct:kira1ttl}:rate"],
            keys.Split('\n', StringSplitOptions.RemoveEmptyEntries).Order(StringComparer.Ordinal));
        (_, string rateTtl) = await RedisCluster.RedisCliAsync(["-p", port, "PTTL", prefix + "ratelimit:{acct:kira1ttl}:rate"]);
        (_, string dayTtl) = await RedisCluster.RedisCliAsync(["-p", port, "PTTL", prefix + "ratelimit:{acct:kira1ttl}:day"]);
        Assert.InRange(long.Parse(rateTtl, System.Globalization.CultureInfo.InvariantCulture), 1, 3001);
        Assert.InRange(long.Parse(dayTtl, System.Globalization.CultureInfo.InvariantCulture), 1, (UnixMicroseconds.PerDay / 1000) + 1);
    }
}
