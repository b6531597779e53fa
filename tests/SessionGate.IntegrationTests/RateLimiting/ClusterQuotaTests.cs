using SessionGate.RateLimiting;
using SessionGate.AspNetCore.RateLimiting;
using Xunit.Abstractions;

namespace SessionGate.IntegrationTests.RateLimiting;

/// <summary>A three-primary Redis Cluster shared by the test class.</summary>
public sealed class RedisClusterFixture : IAsyncLifetime
{
    private RedisCluster? _cluster;

    public RedisCluster Cluster => _cluster ?? throw new InvalidOperationException("The fixture is not initialized.");

    public async Task InitializeAsync() => _cluster = await RedisCluster.StartAsync();

    public async Task DisposeAsync()
    {
        if (_cluster is not null)
        {
            await _cluster.DisposeAsync();
        }
    }
}

/// <summary>
/// The limiter on a real three-node Redis Cluster through StackExchange.Redis (given every
/// endpoint): both keys of a partition share one slot thanks to the hash tag, partitions spread over
/// the nodes, and three instances still admit no more than the quota.
/// </summary>
public sealed class ClusterQuotaTests(RedisClusterFixture fixture, ITestOutputHelper output) : IClassFixture<RedisClusterFixture>
{
    [Fact]
    public async Task AcquireAsync_ThreeInstancesOnCluster_AdmitNoMoreThanQuotaPlusOnePercent()
    {
        string prefix = $"test-{Guid.NewGuid():N}:";
        LimiterInstance[] instances = await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => LimiterInstance.StartAsync(() => fixture.Cluster.ConnectAsync(prefix))));
        try
        {
            var policy = new QuotaPolicy("load", 1, 1000);

            QuotaDecision[] decisions = await QuotaLoad.RunAsync(instances, "acct:cluster-load", policy, perInstance: 1500);

            int allowed = decisions.Count(d => d.Allowed);
            output.WriteLine($"cluster: 3 instances x 1500 concurrent requests, burst 1000: {allowed} admitted");
            Assert.DoesNotContain(decisions, d => d.Degraded || d.Rejection == QuotaRejection.Unavailable);
            Assert.InRange(allowed, 1000, 1010);
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
    public async Task AcquireAsync_ThreeInstancesOnClusterWithLeases_AdmitWithinLimitPlusOnePercentAndInstancesTimesBlock()
    {
        string prefix = $"test-{Guid.NewGuid():N}:";
        LimiterInstance[] instances = await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => LimiterInstance.StartAsync(() => fixture.Cluster.ConnectAsync(prefix), LeasedPermitTests.Leasing)));
        try
        {
            (int allowed, long local, TimeSpan elapsed) = await LeasedLoad.RunAsync(instances, "acct:cluster-leased", LeasedPermitTests.Burst1000, perInstance: 1500);

            long limit = 1000 + (long)Math.Ceiling(elapsed.TotalSeconds) + 1;
            output.WriteLine($"cluster: 3 instances x 1500 concurrent requests, burst 1000, block 10: {allowed} admitted ({local} from leased blocks) in {elapsed.TotalMilliseconds:0} ms; limit ≤ {limit}");
            Assert.InRange(allowed, 1000 - (3 * 10), limit + (limit / 100));
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
    public async Task AcquireAsync_ConcurrentDecisionsOnCluster_GroupCommittedPerHashSlot()
    {
        string prefix = $"test-{Guid.NewGuid():N}:";
        await using LimiterInstance instance = await LimiterInstance.StartAsync(() => fixture.Cluster.ConnectAsync(prefix), new RateLimitingOptions { Leases = new LeaseOptions { Enabled = false } });
        var policy = new QuotaPolicy("t", 1, 300);   // burst 300, no refill worth a unit during the run
        await instance.Limiter.AcquireAsync("acct:warm-slot", policy, 1);
        string[] ports = [.. fixture.Cluster.Nodes.Select(n => n.Port.ToString(System.Globalization.CultureInfo.InvariantCulture))];
        foreach (string port in ports)
        {
            await RedisCluster.RedisCliAsync(["-p", port, "CONFIG", "RESETSTAT"]);
        }

        // 500 concurrent decisions of one partition, and 500 spread over 20 partitions (several slots and nodes).
        QuotaDecision[] one = await Task.WhenAll(Enumerable.Range(0, 500).Select(_ => Task.Run(async () => await instance.Limiter.AcquireAsync("acct:slot", policy, 1))));
        QuotaDecision[] many = await Task.WhenAll(Enumerable.Range(0, 500).Select(i => Task.Run(async () => await instance.Limiter.AcquireAsync("acct:slot" + (i % 20).ToString(System.Globalization.CultureInfo.InvariantCulture), policy, 1))));

        long evalsha = 0;
        foreach (string port in ports)
        {
            (_, string info) = await RedisCluster.RedisCliAsync(["-p", port, "INFO", "commandstats"]);
            foreach (string line in info.Split('\n'))
            {
                if (line.StartsWith("cmdstat_evalsha:calls=", StringComparison.Ordinal))
                {
                    evalsha += long.Parse(line["cmdstat_evalsha:calls=".Length..].Split(',')[0], System.Globalization.CultureInfo.InvariantCulture);
                }
            }
        }

        output.WriteLine($"cluster: 1,000 concurrent decisions (one partition, then 20) in {evalsha} EVALSHA");
        Assert.DoesNotContain(one.Concat(many), d => d.Degraded);
        Assert.Equal(300, one.Count(d => d.Allowed));
        Assert.Equal(500, many.Count(d => d.Allowed));   // 25 per partition, under the burst
        Assert.InRange(evalsha, 1000 / QuotaBatcherMaxBatch, 999);
    }

    private const int QuotaBatcherMaxBatch = 64;

    [Fact]
    public async Task AcquireAsync_ManyPartitionsWithDailyBudget_SpreadOverNodesEachEnforced()
    {
        string prefix = $"test-{Guid.NewGuid():N}:";
        await using LimiterInstance instance = await LimiterInstance.StartAsync(() => fixture.Cluster.ConnectAsync(prefix));
        var policy = new QuotaPolicy("t", 1, 5, 4);
        long[] before = await fixture.Cluster.KeyCountsAsync();

        var decisions = new List<(int Partition, QuotaDecision Decision)>();
        for (int p = 0; p < 24; p++)
        {
            for (int i = 0; i < 6; i++)
            {
                decisions.Add((p, await instance.Limiter.AcquireAsync("acct:p" + p, policy, 1)));
            }
        }

        long[] added = [.. (await fixture.Cluster.KeyCountsAsync()).Zip(before, (a, b) => a - b)];
        output.WriteLine("keys added per node: " + string.Join(", ", added));
        Assert.DoesNotContain(decisions, d => d.Decision.Degraded);
        Assert.All(decisions.GroupBy(d => d.Partition), g => Assert.Equal(4, g.Count(d => d.Decision.Allowed)));
        Assert.All(decisions.Where(d => !d.Decision.Allowed), d => Assert.Equal(QuotaRejection.QuotaExhausted, d.Decision.Rejection));
        Assert.Equal(48, added.Sum());
        Assert.True(added.Count(n => n > 0) >= 2, "partitions spread over several nodes");
    }
}
