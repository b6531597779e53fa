using System.Collections.Concurrent;
using System.Diagnostics;
using SessionGate.IntegrationTests.Proxy;

namespace SessionGate.IntegrationTests.Faults;

/// <summary>
/// A steady load on a gateway while a test injects a fault: one worker sends anonymous requests to
/// <c>/open</c>, the others signed requests to <c>/api</c>. Each answer is recorded with the phase
/// (before, during, after the fault) current when its request started.
/// </summary>
internal sealed class SteadyLoad : IAsyncDisposable
{
    private readonly ConcurrentQueue<(int Phase, Answer Answer, int Worker)> _answers = new();
    private readonly StallProbe _probe = new();
    private readonly long _started = Stopwatch.GetTimestamp();
    private readonly DateTime _startedUtc = DateTime.UtcNow;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task[] _workers;
    private int _phase;

    // Each worker is a dedicated thread sending synchronously (Answer.Get), so a request's time does not
    // include this process's thread-pool scheduling. That alone did not remove the 0.5-1 s outliers of
    // docs/RELIABILITY.md (one of 1,000 ms remained: the gateway's answers were late too, its piped
    // output being read on this process's starved pool); EnsureThreadPoolHeadroom below did.
    private SteadyLoad(GatewayProcess gateway, string header, int workers) =>
        _workers = [.. Enumerable.Range(0, workers).Select(worker =>
        {
            var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var thread = new Thread(() =>
            {
                try
                {
                    while (!_stop.IsCancellationRequested)
                    {
                        int current = Volatile.Read(ref _phase);
                        Answer answer = worker == 0
                            ? Answer.Get(gateway.Client, "/open/x")
                            : Answer.Get(gateway.Client, "/api/x", header);
                        _answers.Enqueue((current, answer, worker));
                        Thread.Sleep(1);   // a steady load, not a CPU hog on a shared machine
                    }

                    done.SetResult();
                }
                catch (Exception e)
                {
                    done.SetException(e);
                }
            })
            { IsBackground = true, Name = $"steady load {worker}" };
            thread.Start();
            return done.Task;
        })];

    /// <summary>
    /// Warms the gateway up first (JIT, the limiter script's first load, YARP's connection to the
    /// upstream), so the latencies measured are the steady state's and the fault's, not a cold start's.
    /// </summary>
    public static async Task<SteadyLoad> StartAsync(GatewayProcess gateway, string header, int workers = 5)
    {
        EnsureThreadPoolHeadroom();
        for (int i = 0; i < 20; i++)
        {
            await Answer.GetAsync(gateway.Client, "/open/warm");
            await Answer.GetAsync(gateway.Client, "/api/warm", header);
        }

        return new SteadyLoad(gateway, header, workers);
    }

    /// <summary>
    /// The test platform keeps two thread-pool threads of this process blocked for the whole run (xunit's
    /// VsTestRunner waits on a handle, vstest's socket loop polls synchronously; seen in a sampled-thread-time
    /// trace, docs/RELIABILITY.md "Outliers"). On 2 cores that is the pool's whole minimum, so a burst of
    /// work items (timers, socket completions, the gateway's piped stdout being read) waited for the pool's
    /// starvation injection, about one thread per 0.5 s: the 0.5–1 s "outliers". A minimum above what the
    /// platform blocks lets the pool start threads at once.
    /// </summary>
    private static void EnsureThreadPoolHeadroom()
    {
        const int Minimum = 16;
        ThreadPool.GetMinThreads(out int workers, out int completionPorts);
        if (workers < Minimum)
        {
            ThreadPool.SetMinThreads(Minimum, completionPorts);
        }
    }

    public int Phase
    {
        get => Volatile.Read(ref _phase);
        set => Volatile.Write(ref _phase, value);
    }

    public IEnumerable<Answer> All => _answers.Select(a => a.Answer);

    public IEnumerable<Answer> In(int phase) => _answers.Where(a => a.Phase == phase).Select(a => a.Answer);

    /// <summary>"slowest by phase 12 ms (signed) / …" for reports: which kind of request was slowest tells which Redis consumer waited.</summary>
    public string SlowestByPhase() =>
        "slowest by phase " + string.Join(" / ", _answers.GroupBy(a => a.Phase).OrderBy(g => g.Key).Select(g => g.MaxBy(a => a.Answer.Took)).Select(a => $"{a.Answer.Took.TotalMilliseconds:F0} ms ({(a.Worker != 0 ? "signed" : "anonymous")})"));

    /// <summary>
    /// The <paramref name="count"/> slowest answers, each with what else happened meanwhile: how the other
    /// workers' requests overlapping it fared, and whether the test process itself stalled (<see cref="StallProbe"/>).
    /// A stall of the gateway process (GC, thread pool) or of the machine delays every overlapping request;
    /// a slow request whose neighbours were fast waited on something of its own (its connection, a lock).
    /// </summary>
    public string OutlierReport(int count = 3)
    {
        var all = _answers.ToArray();
        IEnumerable<string> lines = all.OrderByDescending(a => a.Answer.Took).Take(count).Select(slow =>
        {
            long from = slow.Answer.Started, to = from + (long)(slow.Answer.Took.TotalSeconds * Stopwatch.Frequency);
            var overlapping = all.Where(o => o.Worker != slow.Worker && o.Answer.Started < to && o.Answer.Started + (long)(o.Answer.Took.TotalSeconds * Stopwatch.Frequency) > from).ToArray();
            (TimeSpan thread, TimeSpan pool) = _probe.WorstWithin(from, to);
            string others = overlapping.Length == 0 ? "no other request overlapped" :
                $"{overlapping.Length} overlapping requests of other workers, slowest {overlapping.Max(o => o.Answer.Took).TotalMilliseconds:F0} ms, {overlapping.Select(o => o.Worker).Distinct().Count()} workers";
            return $"{slow.Answer.Took.TotalMilliseconds:F0} ms ({slow.Answer}, phase {slow.Phase}, worker {slow.Worker}) at {_startedUtc + Stopwatch.GetElapsedTime(_started, from):HH:mm:ss.fff} UTC: " +
                $"{others}; test-process stalls meanwhile: thread {thread.TotalMilliseconds:F0} ms, pool {pool.TotalMilliseconds:F0} ms";
        });
        return "slowest: " + string.Join(" | ", lines) + "; " + _probe.Summary();
    }

    public int CountIn(int phase) => _answers.Count(a => a.Phase == phase);

    /// <summary>Stops the workers and rethrows what any of them threw (e.g. a client-side timeout).</summary>
    public async Task StopAsync()
    {
        await _stop.CancelAsync();
        await Task.WhenAll(_workers);
        _probe.Dispose();
    }

    public async ValueTask DisposeAsync()
    {
        if (!_stop.IsCancellationRequested)
        {
            await _stop.CancelAsync();
            await Task.WhenAll(_workers).ContinueWith(_ => { }, TaskScheduler.Default);
        }

        _stop.Dispose();
        _probe.Dispose();
    }
}
