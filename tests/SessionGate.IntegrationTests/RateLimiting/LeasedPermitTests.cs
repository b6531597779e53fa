using System.Diagnostics;
using System.Globalization;
using SessionGate.IntegrationTests.Infrastructure;
using SessionGate.IntegrationTests.Keys;
using SessionGate.RateLimiting;
using SessionGate.AspNetCore.RateLimiting;
using Xunit.Abstractions;

namespace SessionGate.IntegrationTests.RateLimiting;

/// <summary>
/// Leased permits on a real Redis: three limiter instances (each its own connection, as separate
/// processes) spending blocks locally where they can (<c>TryAcquireLocally</c> first, as the ASP.NET
/// Core rate-limiter partition does) admit no more than the limit + 1 % and no less than the limit
/// minus instances × block; busy partitions send far less than one command per decision.
/// </summary>
public sealed class LeasedPermitTests(RedisServerFixture redis, ITestOutputHelper output) : IClassFixture<RedisServerFixture>
{
    // 60 per minute (one unit a second), burst 1000; with 3 instances a block is min(1000, 10 s × 1/s, 1000 / (3 × 10)) = 10.
    internal static readonly QuotaPolicy Burst1000 = new("lease", 60, 1000);

    internal static RateLimitingOptions Leasing => new() { InstanceCount = 3, Leases = new LeaseOptions { Enabled = true } };

    [Fact]
    public async Task ThreeInstances_ConcurrentLoadWithLeases_AdmitWithinLimitPlusOnePercentAndInstancesTimesBlock()
    {
        string prefix = RedisServerFixture.NewPrefix();
        LimiterInstance[] instances = await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => LimiterInstance.StartAsync(() => redis.Server.ConnectAsync(prefix), Leasing)));
        try
        {
            (int allowed, long local, TimeSpan elapsed) = await LeasedLoad.RunAsync(instances, "acct:leased", Burst1000, perInstance: 1500);

            // What the bucket could admit in this run: the burst plus one unit per second elapsed (rounded up, plus one).
            long limit = 1000 + (long)Math.Ceiling(elapsed.TotalSeconds) + 1;
            long block = instances[0].Limiter.Leases.BlockFor("acct:leased", Burst1000, SessionGate.RateLimiting.Quotas.GcraLimits.From(Burst1000));
            output.WriteLine($"one Redis, 3 instances x 1500 concurrent requests, burst 1000, block {block}: {allowed} admitted ({local} spent from leased blocks) in {elapsed.TotalMilliseconds:0} ms; limit ≤ {limit}");
            Assert.Equal(10, block);
            Assert.InRange(allowed, 1000 - (3 * block), limit + (limit / 100));
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
    public async Task ThreeInstances_LoopingWorkersSpendingBlocks_AdmitWithinLimitPlusOnePercentAndInstancesTimesBlock()
    {
        string prefix = RedisServerFixture.NewPrefix();
        LimiterInstance[] instances = await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => LimiterInstance.StartAsync(() => redis.Server.ConnectAsync(prefix), Leasing)));
        try
        {
            // 4 workers per instance, each deciding one request after another (as keep-alive clients do), 3 × 4 × 150 = 1,800 requests.
            long local = 0;
            var clock = Stopwatch.StartNew();
            int[] admitted = await Task.WhenAll(instances.SelectMany(instance => Enumerable.Range(0, 4).Select(_ => Task.Run(async () =>
            {
                int allowed = 0;
                for (int i = 0; i < 150; i++)
                {
                    if (instance.Limiter.TryAcquireLocally("acct:looping", Burst1000, 1, out QuotaDecision decision))
                    {
                        Interlocked.Increment(ref local);
                    }
                    else
                    {
                        decision = await instance.Limiter.AcquireAsync("acct:looping", Burst1000, 1);
                    }

                    Assert.False(decision.Degraded);
                    allowed += decision.Allowed ? 1 : 0;
                }

                return allowed;
            }))));
            clock.Stop();

            int total = admitted.Sum();
            long limit = 1000 + (long)Math.Ceiling(clock.Elapsed.TotalSeconds) + 1;
            output.WriteLine($"one Redis, 3 instances x 4 looping workers x 150 requests, burst 1000, block 10: {total} admitted ({local} from leased blocks) in {clock.Elapsed.TotalMilliseconds:0} ms; limit ≤ {limit}");
            Assert.InRange(total, 1000 - (3 * 10), limit + (limit / 100));
            Assert.True(local > 0, "looping workers spend leased blocks");
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
    public async Task DailyBudget_LeasedUnitsNeverExceedIt()
    {
        string prefix = RedisServerFixture.NewPrefix();
        LimiterInstance[] instances = await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => LimiterInstance.StartAsync(() => redis.Server.ConnectAsync(prefix), Leasing)));
        try
        {
            var policy = new QuotaPolicy("daily", 6000, 1000, 200);   // block 33; the day's 200 is the binding limit
            (int allowed, _, _) = await LeasedLoad.RunAsync(instances, "acct:daily", policy, perInstance: 200);

            QuotaDecision peek = await instances[0].Limiter.PeekAsync("acct:daily", policy);
            output.WriteLine($"daily budget 200, 3 instances x 200 requests: {allowed} admitted; the day's remaining by peek: {peek.DailyRemaining}");
            Assert.InRange(allowed, 200 - (3 * 33), 200);
            Assert.InRange(peek.DailyRemaining!.Value, 0, 200 - allowed);
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
    public async Task CommandsPerDecision_IdleOnePerDecision_BusyFarBelowOne()
    {
        await using LimiterInstance instance = await LimiterInstance.StartAsync(() => redis.Server.ConnectAsync(), new RateLimitingOptions { Leases = new LeaseOptions { Enabled = true } });
        var bench = new QuotaPolicy("bench", 60_000_000, 10_000_000);   // the load benchmark's tier: block 1000
        await instance.Limiter.AcquireAsync("acct:warm", bench, 1);
        string port = redis.Server.Port.ToString(CultureInfo.InvariantCulture);

        // Idle: every decision is a partition's first (nothing held): one script call each, the lease riding in it.
        await RedisCluster.RedisCliAsync(["-p", port, "CONFIG", "RESETSTAT"]);
        for (int i = 0; i < 50; i++)
        {
            Assert.True((await instance.Limiter.AcquireAsync("acct:idle" + i.ToString(CultureInfo.InvariantCulture), bench, 1)).Allowed);
        }

        long idle = Evalsha(await RedisCluster.RedisCliAsync(["-p", port, "INFO", "commandstats"]));

        // Busy: 100 accounts, 170 requests each (the benchmark's 17 requests a second per account for one 10 s lease).
        await RedisCluster.RedisCliAsync(["-p", port, "CONFIG", "RESETSTAT"]);
        await Task.WhenAll(Enumerable.Range(0, 100).Select(a => Task.Run(async () =>
        {
            string partition = "acct:busy" + a.ToString(CultureInfo.InvariantCulture);
            for (int i = 0; i < 170; i++)
            {
                if (!instance.Limiter.TryAcquireLocally(partition, bench, 1, out QuotaDecision decision))
                {
                    decision = await instance.Limiter.AcquireAsync(partition, bench, 1);
                }

                Assert.True(decision.Allowed);
            }
        })));
        long busy = Evalsha(await RedisCluster.RedisCliAsync(["-p", port, "INFO", "commandstats"]));

        output.WriteLine($"idle: {idle} EVALSHA for 50 decisions; busy: {busy} EVALSHA for 17,000 decisions ({busy / 17_000.0:0.#####} per decision)");
        Assert.Equal(50, idle);
        Assert.InRange(busy, 1, 100);   // at most one lease per account: ≤ 0.0059 per decision
    }

    [Fact]
    public async Task ThreeInstances_AccountOverItsLimit_RefusalsRepeatedLocallyExactAdmission()
    {
        string prefix = RedisServerFixture.NewPrefix();
        LimiterInstance[] instances = await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => LimiterInstance.StartAsync(() => redis.Server.ConnectAsync(prefix), Leasing)));
        string port = redis.Server.Port.ToString(CultureInfo.InvariantCulture);
        var policy = new QuotaPolicy("over", 60, 100);   // one unit a second, burst 100; block min(1000, 10, 100 / 30) = 3
        try
        {
            await RedisCluster.RedisCliAsync(["-p", port, "CONFIG", "RESETSTAT"]);
            var clock = Stopwatch.StartNew();
            int[] admitted = await Task.WhenAll(instances.SelectMany(instance => Enumerable.Range(0, 4).Select(_ => Task.Run(async () =>
            {
                int allowed = 0;
                for (int i = 0; i < 300; i++)
                {
                    if (!instance.Limiter.TryAcquireLocally("acct:over", policy, 1, out QuotaDecision decision))
                    {
                        decision = await instance.Limiter.AcquireAsync("acct:over", policy, 1);
                    }

                    Assert.False(decision.Degraded);
                    Assert.NotEqual(QuotaRejection.Unavailable, decision.Rejection);
                    allowed += decision.Allowed ? 1 : 0;
                }

                return allowed;
            }))));
            clock.Stop();
            long calls = Evalsha(await RedisCluster.RedisCliAsync(["-p", port, "INFO", "commandstats"]));

            int total = admitted.Sum();
            long limit = 100 + (long)Math.Ceiling(clock.Elapsed.TotalSeconds) + 1;
            output.WriteLine($"one Redis, 3 instances x 4 workers x 300 decisions of an account with burst 100: {total} admitted in {clock.Elapsed.TotalMilliseconds:0} ms (limit ≤ {limit}); {calls} EVALSHA for 3,600 decisions");
            Assert.InRange(total, 100 - (3 * 3), limit + (limit / 100));

            // Without remembered refusals every refused decision went to Redis (group-committed: at
            // least 3,500 ÷ 4 calls). Now each instance asks again about once per Retry-After (1 s here).
            Assert.InRange(calls, 1, 200 + (long)(clock.Elapsed.TotalSeconds * 3 * 4));
        }
        finally
        {
            foreach (LimiterInstance instance in instances)
            {
                await instance.DisposeAsync();
            }
        }
    }

    private static long Evalsha((int Code, string Output) info)
    {
        foreach (string line in info.Output.Split('\n'))
        {
            if (line.StartsWith("cmdstat_evalsha:calls=", StringComparison.Ordinal))
            {
                return long.Parse(line["cmdstat_evalsha:calls=".Length..].Split(',')[0], CultureInfo.InvariantCulture);
            }
        }

        return 0;
    }
}

/// <summary>Concurrent load that spends leased blocks first, as the rate-limiter partition does.</summary>
internal static class LeasedLoad
{
    /// <summary>Fires <paramref name="perInstance"/> concurrent decisions on each instance; returns what was admitted, how many locally, and how long it took.</summary>
    public static async Task<(int Allowed, long Local, TimeSpan Elapsed)> RunAsync(IReadOnlyList<LimiterInstance> instances, string partition, QuotaPolicy policy, int perInstance)
    {
        using var start = new ManualResetEventSlim();
        long local = 0;
        Task<QuotaDecision>[] calls = [.. instances.SelectMany(instance => Enumerable.Range(0, perInstance).Select(_ => Task.Run(async () =>
        {
            start.Wait();
            if (instance.Limiter.TryAcquireLocally(partition, policy, 1, out QuotaDecision decision))
            {
                Interlocked.Increment(ref local);
                return decision;
            }

            return await instance.Limiter.AcquireAsync(partition, policy, 1);
        })))];
        var clock = Stopwatch.StartNew();
        start.Set();
        QuotaDecision[] decisions = await Task.WhenAll(calls).WaitAsync(TimeSpan.FromSeconds(60));
        clock.Stop();
        Assert.DoesNotContain(decisions, d => d.Degraded || d.Rejection == QuotaRejection.Unavailable);
        return (decisions.Count(d => d.Allowed), local, clock.Elapsed);
    }
}
