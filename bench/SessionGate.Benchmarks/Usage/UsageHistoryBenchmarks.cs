using BenchmarkDotNet.Attributes;
using SessionGate.Usage;

namespace SessionGate.Benchmarks.Usage;

/// <summary>
/// What the quota history adds to each rate-limited request: one <see cref="IUsageHistory.Record"/>
/// (in memory only; the Redis variant records the same way and flushes in the background), for an
/// account and for an anonymous address (which also derives its /24 prefix).
/// Measured 2026-12-03 on a shared 2-core AMD EPYC, <c>sg-cpu bench dotnet run -c Release --project
/// bench/SessionGate.Benchmarks -- --filter '*UsageHistoryBenchmarks*' --job short</c>: RecordAccount
/// 74 ns (0 B), RecordAnonymous 165 ns (184 B: the prefix string), single thread, ShortRun error bars wide.
/// </summary>
[MemoryDiagnoser]
public class UsageHistoryBenchmarks
{
    private readonly InMemoryUsageHistory _history = new(TimeProvider.System);
    private readonly string[] _accounts = [.. Enumerable.Range(0, 64).Select(i => "kira1account" + i)];
    private int _next;

    [Benchmark]
    public void RecordAccount() =>
        _history.Record(new UsageHistoryEntry(_accounts[_next++ & 63], null, "api", 1, Refused: false));

    [Benchmark]
    public void RecordAnonymous() =>
        _history.Record(new UsageHistoryEntry(null, "203.0.113.77", "api", 1, Refused: false));
}
