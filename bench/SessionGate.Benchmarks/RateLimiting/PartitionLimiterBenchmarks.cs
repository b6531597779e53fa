using System.Threading.RateLimiting;
using BenchmarkDotNet.Attributes;
using SessionGate.AspNetCore.RateLimiting;
using SessionGate.RateLimiting;
using SessionGate.RateLimiting.Quotas;
using SessionGate.Usage;

namespace SessionGate.Benchmarks.RateLimiting;

/// <summary>
/// One granted request through ASP.NET Core's partitioned limiter and SessionGate's partition
/// limiters (metered, usage, history, outcomes), called the way <c>RateLimitingMiddleware</c> calls
/// them: a synchronous attempt, then the asynchronous acquisition when it was not granted.
/// <c>InMemory</c> lets the in-memory limiter decide synchronously (<c>IQuotaLimiter.TryAcquireLocally</c>);
/// <c>AsynchronousOnly</c> hides that (a shared store without leased permits, and every decision before
/// issue 16). Run:
/// <c>dotnet run -c Release --project bench/SessionGate.Benchmarks -- --filter '*PartitionLimiterBenchmarks*' --job short</c>.
/// </summary>
[MemoryDiagnoser]
public class PartitionLimiterBenchmarks
{
    // Never refuses.
    private static readonly QuotaPolicy Policy = new("bench", 60_000_000, 100_000_000, 1L << 40);

    private PartitionedRateLimiter<int> _local = null!;
    private PartitionedRateLimiter<int> _deferred = null!;
    private InMemoryQuotaLimiter _quotas = null!;

    [GlobalSetup]
    public void Setup()
    {
        _quotas = new InMemoryQuotaLimiter(new RateLimitingOptions(), TimeProvider.System);
        _local = Create(_quotas);
        _deferred = Create(new AsynchronousOnlyLimiter(_quotas));
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _local.Dispose();
        _deferred.Dispose();
        _quotas.Dispose();
    }

    [Benchmark(Baseline = true)]
    public ValueTask<bool> AsynchronousOnly() => AcquireAsMiddlewareDoes(_deferred);

    [Benchmark]
    public ValueTask<bool> InMemory() => AcquireAsMiddlewareDoes(_local);

    private static PartitionedRateLimiter<int> Create(IQuotaLimiter quotas)
    {
        var time = TimeProvider.System;
        var usage = new InMemoryUsageTracker(time);
        var history = new InMemoryUsageHistory(time);
        var outcomes = new RateLimitOutcomes(time);
        var metrics = new RateLimitPolicyMetrics(null);
        Func<QuotaPartition, RateLimiter> factory = partition => new MeteredPartitionLimiter(
            new QuotaPartitionLimiter(partition, quotas, usage, history, outcomes), partition, metrics, usage, 0.8);
        // One account's partition, computed once (a request computes its partition once, before the limiter).
        var partition = new QuotaPartition("acct:kira1benchaccount", Policy, 1) { Route = "route" };
        return PartitionedRateLimiter.Create<int, QuotaPartition>(_ => new RateLimitPartition<QuotaPartition>(partition, factory));
    }

    // RateLimitingMiddleware.TryAcquireAsync's shape: synchronous attempt, else the asynchronous one.
    private static async ValueTask<bool> AcquireAsMiddlewareDoes(PartitionedRateLimiter<int> limiter)
    {
        RateLimitLease lease = limiter.AttemptAcquire(7);
        if (!lease.IsAcquired)
        {
            lease = await limiter.AcquireAsync(7).ConfigureAwait(false);
        }

        bool acquired = lease.IsAcquired;
        lease.Dispose();
        return acquired;
    }

    private sealed class AsynchronousOnlyLimiter(IQuotaLimiter inner) : IQuotaLimiter
    {
        public ValueTask<QuotaDecision> AcquireAsync(string partition, QuotaPolicy policy, int cost, CancellationToken cancellationToken = default) =>
            inner.AcquireAsync(partition, policy, cost, cancellationToken);

        public ValueTask<QuotaDecision> PeekAsync(string partition, QuotaPolicy policy, CancellationToken cancellationToken = default) =>
            inner.PeekAsync(partition, policy, cancellationToken);
    }
}
