using System.Globalization;
using SessionGate.IntegrationTests.Keys;
using SessionGate.RateLimiting;
using SessionGate.AspNetCore.RateLimiting;
using Xunit.Abstractions;

namespace SessionGate.IntegrationTests.RateLimiting;

/// <summary>
/// One decision = one command sent to Redis (EVALSHA), read from <c>INFO commandstats</c>. Redis also
/// counts the commands the script runs inside that one call (TIME, GET, SET, …); they cost no round
/// trip, and are listed separately.
/// </summary>
public sealed class CommandsPerDecisionTests(RedisServerFixture redis, ITestOutputHelper output) : IClassFixture<RedisServerFixture>
{
    private const int Decisions = 500;

    // What the script may call inside its one EVALSHA.
    private static readonly HashSet<string> ScriptInternal = ["time", "get", "set", "pexpireat", "hmget", "hmset"];

    // What the measuring redis-cli and StackExchange.Redis's keep-alive send.
    private static readonly HashSet<string> NotDecisions = ["info", "config|resetstat", "ping", "echo"];

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task AcquireAsync_ManyDecisions_ExactlyOneEvalshaEachAndNothingElseSent(bool withDailyBudget)
    {
        // Without leases (LeasedPermitTests measures them): every decision goes to Redis.
        await using LimiterInstance instance = await LimiterInstance.StartAsync(() => redis.Server.ConnectAsync(), new RateLimitingOptions { Leases = new LeaseOptions { Enabled = false } });
        var policy = new QuotaPolicy("t", 6000, 100, withDailyBudget ? 1_000_000 : null);
        await instance.Limiter.AcquireAsync("acct:warm", policy, 1); // first use on this Redis may load the script
        string port = redis.Server.Port.ToString(CultureInfo.InvariantCulture);
        await RedisCluster.RedisCliAsync(["-p", port, "CONFIG", "RESETSTAT"]);

        for (int i = 0; i < Decisions; i++)
        {
            await instance.Limiter.AcquireAsync("acct:c" + (i % 50).ToString(CultureInfo.InvariantCulture), policy, 1);
        }

        (_, string info) = await RedisCluster.RedisCliAsync(["-p", port, "INFO", "commandstats"]);
        Dictionary<string, long> calls = Parse(info);
        output.WriteLine($"{Decisions} decisions (daily budget: {withDailyBudget}): " + string.Join(", ", calls.OrderBy(c => c.Key, StringComparer.Ordinal).Select(c => $"{c.Key}={c.Value}")));

        Assert.Equal(Decisions, calls.GetValueOrDefault("evalsha"));
        Assert.Equal(Decisions, calls.GetValueOrDefault("time"));
        Assert.DoesNotContain(calls.Keys, c => c != "evalsha" && !ScriptInternal.Contains(c) && !NotDecisions.Contains(c));
        Assert.Equal(withDailyBudget ? Decisions : 0, calls.GetValueOrDefault("hmget"));
    }

    [Fact]
    public async Task AcquireAsync_ConcurrentDecisions_ShareCommandsAndDecideExactlyAsAlone()
    {
        await using LimiterInstance instance = await LimiterInstance.StartAsync(() => redis.Server.ConnectAsync(operationTimeout: TimeSpan.FromSeconds(5)));
        var policy = new QuotaPolicy("t", 1, 300);   // burst 300, one unit per minute: no refill during the run
        await instance.Limiter.AcquireAsync("acct:warm", policy, 1);
        string port = redis.Server.Port.ToString(CultureInfo.InvariantCulture);
        await RedisCluster.RedisCliAsync(["-p", port, "CONFIG", "RESETSTAT"]);

        // 1,000 at once on one partition (300 fit), then 1,000 at once over four (250 each: all fit).
        QuotaDecision[] onePartition = await Task.WhenAll(Enumerable.Range(0, 1000).Select(_ => instance.Limiter.AcquireAsync("acct:hot", policy, 1).AsTask()));
        QuotaDecision[] manyPartitions = await Task.WhenAll(Enumerable.Range(0, 1000).Select(i => instance.Limiter.AcquireAsync("acct:p" + (i % 4).ToString(CultureInfo.InvariantCulture), policy, 1).AsTask()));

        (_, string info) = await RedisCluster.RedisCliAsync(["-p", port, "INFO", "commandstats"]);
        long evalsha = Parse(info).GetValueOrDefault("evalsha");
        output.WriteLine($"2,000 concurrent decisions in {evalsha} EVALSHA");

        Assert.DoesNotContain(onePartition.Concat(manyPartitions), d => d.Degraded);
        Assert.Equal(300, onePartition.Count(d => d.Allowed));
        Assert.Equal(1000, manyPartitions.Count(d => d.Allowed));    // 250 per partition, under the burst
        Assert.Equal(Enumerable.Range(0, 300).Select(r => (long)r).ToHashSet(), onePartition.Where(d => d.Allowed).Select(d => d.Remaining).ToHashSet());
        Assert.InRange(evalsha, 2000 / QuotaBatcherMaxBatch, 1999);
    }

    private const int QuotaBatcherMaxBatch = SessionGate.RateLimiting.Redis.QuotaBatcher.MaxBatch;

    // Lines like "cmdstat_evalsha:calls=500,usec=…".
    private static Dictionary<string, long> Parse(string info) =>
        info.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Where(l => l.StartsWith("cmdstat_", StringComparison.Ordinal))
            .ToDictionary(
                l => l["cmdstat_".Length..l.IndexOf(':', StringComparison.Ordinal)],
                l => long.Parse(l.Split(':')[1].Split(',')[0]["calls=".Length..], CultureInfo.InvariantCulture));
}
