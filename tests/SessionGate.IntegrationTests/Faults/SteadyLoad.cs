using System.Collections.Concurrent;
using SessionGate.IntegrationTests.Proxy;

namespace SessionGate.IntegrationTests.Faults;

/// <summary>
/// A steady load on a gateway while a test injects a fault: one worker sends anonymous requests to
/// <c>/open</c>, the others signed requests to <c>/api</c>. Each answer is recorded with the phase
/// (before, during, after the fault) current when its request started.
/// </summary>
internal sealed class SteadyLoad : IAsyncDisposable
{
    private readonly ConcurrentQueue<(int Phase, Answer Answer, bool Signed)> _answers = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly Task[] _workers;
    private int _phase;

    private SteadyLoad(GatewayProcess gateway, string header, int workers) =>
        _workers = [.. Enumerable.Range(0, workers).Select(worker => Task.Run(async () =>
        {
            while (!_stop.IsCancellationRequested)
            {
                int current = Volatile.Read(ref _phase);
                Answer answer = worker == 0
                    ? await Answer.GetAsync(gateway.Client, "/open/x")
                    : await Answer.GetAsync(gateway.Client, "/api/x", header);
                _answers.Enqueue((current, answer, worker != 0));
                await Task.Delay(1, CancellationToken.None);   // a steady load, not a CPU hog on a shared machine
            }
        }))];

    /// <summary>
    /// Warms the gateway up first (JIT, the limiter script's first load, YARP's connection to the
    /// upstream), so the latencies measured are the steady state's and the fault's, not a cold start's.
    /// </summary>
    public static async Task<SteadyLoad> StartAsync(GatewayProcess gateway, string header, int workers = 5)
    {
        for (int i = 0; i < 20; i++)
        {
            await Answer.GetAsync(gateway.Client, "/open/warm");
            await Answer.GetAsync(gateway.Client, "/api/warm", header);
        }

        return new SteadyLoad(gateway, header, workers);
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
        "slowest by phase " + string.Join(" / ", _answers.GroupBy(a => a.Phase).OrderBy(g => g.Key).Select(g => g.MaxBy(a => a.Answer.Took)).Select(a => $"{a.Answer.Took.TotalMilliseconds:F0} ms ({(a.Signed ? "signed" : "anonymous")})"));

    public int CountIn(int phase) => _answers.Count(a => a.Phase == phase);

    /// <summary>Stops the workers and rethrows what any of them threw (e.g. a client-side timeout).</summary>
    public async Task StopAsync()
    {
        await _stop.CancelAsync();
        await Task.WhenAll(_workers);
    }

    public async ValueTask DisposeAsync()
    {
        if (!_stop.IsCancellationRequested)
        {
            await _stop.CancelAsync();
            await Task.WhenAll(_workers).ContinueWith(_ => { }, TaskScheduler.Default);
        }

        _stop.Dispose();
    }
}
