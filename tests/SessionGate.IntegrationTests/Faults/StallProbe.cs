using System.Collections.Concurrent;
using System.Diagnostics;

namespace SessionGate.IntegrationTests.Faults;

/// <summary>
/// Watches the test process itself while a load runs, so a slow answer can be told apart from a stall of
/// the client (docs/RELIABILITY.md, "Outliers"): a dedicated thread that sleeps 5 ms at a time (it
/// oversleeps when the process or the machine does not run it: a GC suspension of this process, or both
/// cores busy elsewhere) and a thread-pool loop of 5 ms delays (it is late also when the pool's queue is
/// long). Each lateness of more than <see cref="Threshold"/> is recorded with when it ended.
/// </summary>
internal sealed class StallProbe : IDisposable
{
    public static readonly TimeSpan Threshold = TimeSpan.FromMilliseconds(50);
    private static readonly TimeSpan Tick = TimeSpan.FromMilliseconds(5);

    private readonly ConcurrentQueue<Stall> _stalls = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly Thread _thread;
    private readonly TimeSpan _gcPauseAtStart = GC.GetTotalPauseDuration();
    private readonly int _gen2AtStart = GC.CollectionCount(2);
    private int _disposed;

    public StallProbe()
    {
        _thread = new Thread(SleepLoop) { IsBackground = true, Name = "stall probe" };
        _thread.Start();
        _ = Task.Run(PoolLoopAsync);
    }

    public IReadOnlyCollection<Stall> Stalls => _stalls;

    /// <summary>The largest lateness of each probe overlapping [<paramref name="from"/>, <paramref name="to"/>] (timestamps).</summary>
    public (TimeSpan Thread, TimeSpan Pool) WorstWithin(long from, long to)
    {
        TimeSpan thread = TimeSpan.Zero, pool = TimeSpan.Zero;
        foreach (Stall stall in _stalls)
        {
            long began = stall.Ended - (long)(stall.Late.TotalSeconds * Stopwatch.Frequency);
            if (stall.Ended < from || began > to)
            {
                continue;
            }

            if (stall.OnPool)
            {
                pool = stall.Late > pool ? stall.Late : pool;
            }
            else
            {
                thread = stall.Late > thread ? stall.Late : thread;
            }
        }

        return (thread, pool);
    }

    /// <summary>"test process: GC pauses 12 ms in all, 0 gen-2 GCs; stalls > 50 ms: thread 2 (max 80 ms), pool 3 (max 120 ms)".</summary>
    public string Summary()
    {
        Stall[] stalls = [.. _stalls];
        static string Of(IEnumerable<Stall> s) => s.Any() ? $"{s.Count()} (max {s.Max(x => x.Late).TotalMilliseconds:F0} ms)" : "0";
        return $"test process: GC pauses {(GC.GetTotalPauseDuration() - _gcPauseAtStart).TotalMilliseconds:F0} ms in all, {GC.CollectionCount(2) - _gen2AtStart} gen-2 GCs; " +
            $"stalls > {Threshold.TotalMilliseconds:F0} ms: dedicated thread {Of(stalls.Where(s => !s.OnPool))}, thread pool {Of(stalls.Where(s => s.OnPool))}";
    }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        // The loops end within one tick; the pool loop is not waited for (no blocking wait on a pool
        // thread), and the token source is left to the GC since the pool loop may still read it.
        _stop.Cancel();
        _thread.Join();
    }

    private void SleepLoop()
    {
        while (!_stop.IsCancellationRequested)
        {
            long before = Stopwatch.GetTimestamp();
            Thread.Sleep(Tick);
            Record(before, onPool: false);
        }
    }

    private async Task PoolLoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            long before = Stopwatch.GetTimestamp();
            await Task.Delay(Tick, CancellationToken.None).ConfigureAwait(false);
            Record(before, onPool: true);
        }
    }

    private void Record(long before, bool onPool)
    {
        long now = Stopwatch.GetTimestamp();
        TimeSpan late = Stopwatch.GetElapsedTime(before, now) - Tick;
        if (late > Threshold)
        {
            _stalls.Enqueue(new Stall(now, late, onPool));
        }
    }

    /// <summary>One lateness: when it ended (a timestamp), by how much, and which probe saw it.</summary>
    internal readonly record struct Stall(long Ended, TimeSpan Late, bool OnPool);
}
