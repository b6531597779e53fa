using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using SessionGate.IntegrationTests.Infrastructure;
using SessionGate.IntegrationTests.Proxy;
using SessionGate.IntegrationTests.RateLimiting;
using SessionGate.RateLimiting;
using Xunit.Abstractions;

namespace SessionGate.IntegrationTests.Faults;

/// <summary>
/// Redis killed (SIGKILL) and restarted on the same port and data directory while the real gateway
/// process serves a steady load of signed and anonymous requests. The limiter itself is tested the
/// same way in RateLimiting/RedisOutageTests; this is the whole request path over HTTP.
/// </summary>
[Collection(FaultsCollection.Name)]
public sealed class RedisKillTests(ITestOutputHelper output)
{
    private static readonly TimeSpan RedisTimeout = TimeSpan.FromMilliseconds(250);

    // The contract is "no request waits longer than SessionGate:RedisTimeout". A request makes at most
    // one limiter call that can wait for a dead Redis (the breaker opens on the first failure and later
    // calls do not touch Redis), so its latency is RedisTimeout plus the request's own cost. The margin
    // covers that cost on this machine: HTTP over loopback, thread-pool scheduling and GC pauses of two
    // .NET processes on two cores shared with other builds. A request that really waited for the dead
    // Redis would take seconds (StackExchange.Redis's own 5 s timeouts), far beyond the bound.
    private static readonly TimeSpan Margin = TimeSpan.FromMilliseconds(1000);

    // The limiter probes Redis once per RedisRetryInterval while it is down; 1 s (instead of the default
    // 5 s) makes "limiting resumes within 5 s of the restart" a property of the settings, not of luck.
    private static readonly TimeSpan RetryInterval = TimeSpan.FromSeconds(1);

    public static TheoryData<RedisFailureMode> Modes => [RedisFailureMode.LocalFallback, RedisFailureMode.FailClosed, RedisFailureMode.FailOpen];

    [Theory]
    [MemberData(nameof(Modes))]
    public async Task Gateway_RedisKilledAndRestartedUnderLoad_ModeHoldsBoundedLatencyLimitingResumes(RedisFailureMode mode)
    {
        // Persistence on, as the repository's redis.conf has it: the restarted Redis still holds the
        // registered key, so the session stays valid across the outage.
        await using RedisServer redis = await RedisServer.StartAsync("--appendonly", "yes");
        await using FakeUpstream upstream = await FakeUpstream.StartAsync();
        Dictionary<string, string?> settings = FaultRig.Gateway(upstream.Address);
        string prefix = FaultRig.UseRedis(settings, redis, RedisTimeout);
        settings["SessionGate:RateLimiting:RedisFailureMode"] = mode.ToString();
        settings["SessionGate:RateLimiting:RedisRetryInterval"] = RetryInterval.ToString("c", CultureInfo.InvariantCulture);
        await using GatewayProcess gateway = await GatewayProcess.StartAsync(settings);
        string header = FaultRig.ValidHeader(await FaultRig.LatestBlockHashAsync(gateway));

        var answers = new ConcurrentQueue<(int Phase, Answer Answer)>();
        int phase = 0;
        using var stop = new CancellationTokenSource();
        Task[] load = [.. Enumerable.Range(0, 5).Select(worker => Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                int current = Volatile.Read(ref phase);
                Answer answer = worker == 0
                    ? await Answer.GetAsync(gateway.Client, "/open/x")                 // anonymous: limited per address
                    : await Answer.GetAsync(gateway.Client, "/api/x", header);         // signed: limited per account
                answers.Enqueue((current, answer));
                await Task.Delay(1, CancellationToken.None);   // a steady load, not a CPU hog on a shared machine
            }
        }))];

        try
        {
            await Eventually.HoldsAsync(async () => answers.Count(a => a.Phase == 0) >= 50 && (await RateKeysAsync(redis, prefix)).Length > 0, TimeSpan.FromSeconds(20), "requests are limited through Redis");
        }
        catch (Xunit.Sdk.XunitException e)
        {
            throw new Xunit.Sdk.XunitException($"{e.Message}\nanswers: {FaultRig.Tally(answers.Select(a => a.Answer))}\nkeys: {string.Join(' ', await RateKeysAsync(redis, prefix))}\n{gateway.Process.Output}");
        }

        await redis.KillAsync();
        Volatile.Write(ref phase, 1);
        var outage = System.Diagnostics.Stopwatch.StartNew();
        // Long enough for several breaker probes (each may wait RedisTimeout) to fail.
        await Eventually.HoldsAsync(() => Task.FromResult(outage.Elapsed > 3 * RetryInterval && answers.Count(a => a.Phase == 1) >= 100), TimeSpan.FromSeconds(20), "requests keep being answered while Redis is down");

        await redis.RestartAsync();
        string[] atRestart = await RateKeysAsync(redis, prefix);
        Volatile.Write(ref phase, 2);

        // Only a decision made through Redis changes a rate key (the fallback decides in memory).
        TimeSpan resumed = await Eventually.HoldsAsync(
            async () => !(await RateKeysAsync(redis, prefix)).SequenceEqual(atRestart), TimeSpan.FromSeconds(15), "limiting goes through Redis again");
        await Eventually.HoldsAsync(() => Task.FromResult(answers.Count(a => a.Phase == 2) >= 50), TimeSpan.FromSeconds(10), "requests after the restart");
        await stop.CancelAsync();
        await Task.WhenAll(load);

        Answer[] all = [.. answers.Select(a => a.Answer)];
        Answer[] down = [.. answers.Where(a => a.Phase == 1).Select(a => a.Answer)];
        TimeSpan slowest = all.Max(a => a.Took);
        output.WriteLine(
            $"{mode}: {all.Length} requests ({down.Length} during a {outage.Elapsed.TotalSeconds:F1} s outage); during: {FaultRig.Tally(down)}; " +
            $"slowest {slowest.TotalMilliseconds:F0} ms (slowest during the outage {down.Max(a => a.Took).TotalMilliseconds:F0} ms, bound {(RedisTimeout + Margin).TotalMilliseconds:F0} ms); " +
            $"limiting through Redis again {resumed.TotalMilliseconds:F0} ms after the restart; 5xx: {all.Count(a => a.IsServerError)}");

        Assert.All(all, a => Assert.True(DocumentedAnswers.IsDocumented(a), $"undocumented answer {a}"));
        Assert.True(slowest <= RedisTimeout + Margin, $"a request took {slowest.TotalMilliseconds:F0} ms");
        Assert.True(resumed <= TimeSpan.FromSeconds(5), $"limiting resumed after {resumed}");
        switch (mode)
        {
            case RedisFailureMode.FailClosed:
                Assert.All(down, a => Assert.Equal("limiter_unavailable", a.Code));
                break;
            default:
                // LocalFallback (limits divided by InstanceCount, here 1) and FailOpen both serve; nothing 5xx at any time.
                Assert.All(all, a => Assert.Equal(HttpStatusCode.OK, a.StatusCode));
                break;
        }

        Assert.All(answers.Where(a => a.Phase == 2).TakeLast(20), a => Assert.Equal(HttpStatusCode.OK, a.Answer.StatusCode));
        await FaultRig.AssertAliveAsync(gateway);
    }

    /// <summary>The values of every rate key of this gateway (its RedisKeyPrefix), in key order.</summary>
    private static async Task<string[]> RateKeysAsync(RedisServer redis, string prefix)
    {
        const string script = "local keys = redis.call('KEYS', ARGV[1]) table.sort(keys) local values = {} " +
            "for i, k in ipairs(keys) do values[i] = k .. '=' .. (redis.call('GET', k) or '') end return values";
        (int code, string result) = await RedisCluster.RedisCliAsync(
            ["-p", redis.Port.ToString(CultureInfo.InvariantCulture), "EVAL", script, "0", prefix + "ratelimit:*:rate"]);
        return code == 0 ? result.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) : [];
    }
}
