using System.Collections.Concurrent;
using System.Diagnostics;
using SessionGate.IntegrationTests.Infrastructure;
using SessionGate.RateLimiting;
using SessionGate.AspNetCore.RateLimiting;
using Xunit.Abstractions;

namespace SessionGate.IntegrationTests.RateLimiting;

/// <summary>
/// Redis killed under load: the configured failure mode holds while it is down, no call waits much
/// longer than the operation timeout (each call runs under a deadline that fails the test), and
/// shared limiting resumes within 5 s of Redis being back.
/// </summary>
public sealed class RedisOutageTests(ITestOutputHelper output)
{
    private static readonly TimeSpan OperationTimeout = TimeSpan.FromMilliseconds(250);

    // Generous: this machine may be busy building other projects; a hang would be seconds.
    private static readonly TimeSpan CallDeadline = OperationTimeout + TimeSpan.FromMilliseconds(750);

    public static TheoryData<RedisFailureMode> Modes => [RedisFailureMode.LocalFallback, RedisFailureMode.FailClosed, RedisFailureMode.FailOpen];

    [Theory]
    [MemberData(nameof(Modes))]
    public async Task AcquireAsync_RedisKilledDuringLoad_ModeHoldsNoCallHangsAndSharingResumes(RedisFailureMode mode)
    {
        await using RedisServer server = await RedisServer.StartAsync();
        // With leases (the default): once a call has failed, held blocks are not spent, so the mode holds.
        var options = new RateLimitingOptions { RedisFailureMode = mode, RedisRetryInterval = TimeSpan.FromMilliseconds(300), InstanceCount = 2 };
        await using LimiterInstance instance = await LimiterInstance.StartAsync(() => server.ConnectAsync(operationTimeout: OperationTimeout), options);
        var policy = new QuotaPolicy("t", 6_000_000, 1_000_000);
        var decisions = new ConcurrentQueue<(int Phase, QuotaDecision Decision, TimeSpan Took)>();
        int phase = 0;
        using var stop = new CancellationTokenSource();

        Task[] workers = [.. Enumerable.Range(0, 4).Select(w => Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                int current = Volatile.Read(ref phase);
                long started = Stopwatch.GetTimestamp();
                QuotaDecision decision = await instance.Limiter.AcquireAsync("acct:outage" + w, policy, 1).AsTask().WaitAsync(CallDeadline);
                decisions.Enqueue((current, decision, Stopwatch.GetElapsedTime(started)));
                await Task.Delay(2, CancellationToken.None); // pace the load; fallback decisions complete synchronously
            }
        }))];

        await Eventually.HoldsAsync(() => Task.FromResult(decisions.Count(d => d.Phase == 0 && Shared(d.Decision)) >= 20), TimeSpan.FromSeconds(10), "decisions are shared through Redis before the kill");

        await server.KillAsync();
        Volatile.Write(ref phase, 1);
        await Eventually.HoldsAsync(() => Task.FromResult(decisions.Count(d => d.Phase == 1) >= 100), TimeSpan.FromSeconds(10), "decisions continue while Redis is down");

        await server.RestartAsync();
        Volatile.Write(ref phase, 2);
        TimeSpan resumed = await Eventually.HoldsAsync(() => Task.FromResult(decisions.Any(d => d.Phase == 2 && Shared(d.Decision))), TimeSpan.FromSeconds(5), "shared limiting resumes within 5 s of the restart");

        await stop.CancelAsync();
        await Task.WhenAll(workers);

        (int Phase, QuotaDecision Decision, TimeSpan Took)[] down = [.. decisions.Where(d => d.Phase == 1)];
        TimeSpan slowest = decisions.Max(d => d.Took);
        output.WriteLine($"{mode}: {decisions.Count} decisions, {down.Length} while down, slowest {slowest.TotalMilliseconds:F0} ms, shared again {resumed.TotalMilliseconds:F0} ms after restart");
        Assert.All(down, d => Assert.True(HeldMode(mode, d.Decision), $"{mode}: {d.Decision}"));
        Assert.True(slowest <= CallDeadline, $"slowest call {slowest}");
        Assert.False(instance.Limiter.IsDegraded);
    }

    [Fact]
    public async Task AcquireAsync_RedisHangs_CallsBoundedByTimeoutThenFallBackAtOnce()
    {
        await using RedisServer server = await RedisServer.StartAsync();
        // Long enough that no probe is due between the two waves even on a stalled machine. Without
        // leases: a hung Redis keeps its socket open, so a held block would be spent (as it should:
        // nothing is known to be wrong) and the first wave would not reach Redis at all.
        var options = new RateLimitingOptions { RedisFailureMode = RedisFailureMode.LocalFallback, RedisRetryInterval = TimeSpan.FromSeconds(2), Leases = new LeaseOptions { Enabled = false } };
        await using LimiterInstance instance = await LimiterInstance.StartAsync(() => server.ConnectAsync(operationTimeout: OperationTimeout), options);
        var policy = new QuotaPolicy("t", 6_000_000, 1_000_000);
        // Start from a closed breaker: on a loaded machine a first call can itself time out and open it,
        // and the first wave below would then be answered by the fallback without waiting.
        await Eventually.HoldsAsync(
            async () => !(await instance.Limiter.AcquireAsync("acct:hang", policy, 1).AsTask().WaitAsync(CallDeadline)).Degraded,
            TimeSpan.FromSeconds(10),
            "a decision is shared through Redis before Redis is stopped");
        string pid = await RedisProcessIdAsync(server);

        await SignalAsync("-STOP", pid);
        try
        {
            // Everything in flight when Redis stops answering waits for the timeout, no longer.
            var started = Stopwatch.StartNew();
            QuotaDecision[] first = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => instance.Limiter.AcquireAsync("acct:hang", policy, 1).AsTask())).WaitAsync(CallDeadline);
            TimeSpan firstWave = started.Elapsed;

            // The breaker is open now: later calls do not wait for Redis at all.
            started.Restart();
            QuotaDecision[] second = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => instance.Limiter.AcquireAsync("acct:hang", policy, 1).AsTask())).WaitAsync(CallDeadline);
            TimeSpan secondWave = started.Elapsed;

            output.WriteLine($"hung Redis: first wave {firstWave.TotalMilliseconds:F0} ms (timeout {OperationTimeout.TotalMilliseconds} ms), second wave {secondWave.TotalMilliseconds:F0} ms");
            Assert.All(first.Concat(second), d => Assert.True(d.Degraded && d.Allowed));
            Assert.True(firstWave >= OperationTimeout - TimeSpan.FromMilliseconds(50), "the first wave waited for the timeout");
            Assert.True(secondWave < OperationTimeout, "the open breaker keeps calls off the hung Redis");
        }
        finally
        {
            await SignalAsync("-CONT", pid);
        }

        await Eventually.HoldsAsync(
            async () => !(await instance.Limiter.AcquireAsync("acct:hang", policy, 1).AsTask().WaitAsync(CallDeadline)).Degraded,
            TimeSpan.FromSeconds(5),
            "shared limiting resumes once Redis answers again");
    }

    private static async Task<string> RedisProcessIdAsync(RedisServer server)
    {
        (_, string info) = await RedisCluster.RedisCliAsync(["-p", server.Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "INFO", "server"]);
        return info.Split('\n').Single(l => l.StartsWith("process_id:", StringComparison.Ordinal))["process_id:".Length..].Trim();
    }

    // SIGSTOP/SIGCONT to the redis-server this test started, by its id: a Redis that hangs
    // without closing connections (the failure of envoyproxy/ratelimit#462).
    private static async Task SignalAsync(string signal, string pid)
    {
        using Process kill = Process.Start(new ProcessStartInfo("kill") { ArgumentList = { signal, pid } }) ?? throw new InvalidOperationException("kill did not start");
        await kill.WaitForExitAsync();
        Assert.Equal(0, kill.ExitCode);
    }

    private static bool Shared(QuotaDecision decision) => !decision.Degraded && decision.Rejection != QuotaRejection.Unavailable;

    private static bool HeldMode(RedisFailureMode mode, QuotaDecision decision) => mode switch
    {
        RedisFailureMode.LocalFallback => decision.Degraded && decision.Allowed,
        RedisFailureMode.FailClosed => !decision.Allowed && decision.Rejection == QuotaRejection.Unavailable,
        _ => decision.Degraded && decision.Allowed,
    };
}
