using System.Globalization;
using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.Logging.Abstractions;
using SessionGate.RateLimiting;
using SessionGate.AspNetCore.RateLimiting;
using SessionGate.RateLimiting.Quotas;
using SessionGate.RateLimiting.Redis;
using SessionGate.Storage.Redis;

namespace SessionGate.Benchmarks.RateLimiting;

/// <summary>
/// Cost of one limiter decision: the arithmetic alone, the in-memory limiter (one hot partition and
/// 100,000 rotating ones), and the Redis limiter against a local redis-server started here — awaited
/// one at a time (latency: one EVALSHA round trip) and 64 at once (throughput through the
/// multiplexer's pipeline), beside a bare PING round trip as the floor. The cleanup prints Redis
/// commands per decision from INFO commandstats. Run:
/// <c>dotnet run -c Release --project bench/SessionGate.Benchmarks -- --filter '*QuotaLimiterBenchmarks*' --job short</c>.
/// </summary>
[MemoryDiagnoser]
public class QuotaLimiterBenchmarks
{
    private const int Concurrent = 64;

    // Never refuses, so every decision takes the write path.
    private static readonly QuotaPolicy Policy = new("bench", 60_000_000, 100_000_000, 1L << 40);

    private readonly GcraLimits _limits = GcraLimits.From(Policy);
    private readonly Task<QuotaDecision>[] _batch = new Task<QuotaDecision>[Concurrent];
    private BenchmarkRedisServer? _server;
    private RedisConnection? _connection;
    private RedisQuotaLimiter? _redisLimiter;
    private InMemoryQuotaLimiter _memoryLimiter = null!;
    private string[] _partitions = null!;
    private QuotaState _state;
    private long _now;
    private int _next;
    private long _decisions;
    private long _evalshaBefore;

    [GlobalSetup]
    public void Setup()
    {
        _memoryLimiter = new InMemoryQuotaLimiter(new RateLimitingOptions(), TimeProvider.System);
        _partitions = [.. Enumerable.Range(0, 100_000).Select(i => "ip:10.0." + i.ToString(CultureInfo.InvariantCulture))];
        _now = UnixMicroseconds.Now(TimeProvider.System);

        _server = BenchmarkRedisServer.Start();
        _connection = RedisConnection.ConnectAsync(new RedisOptions { Configuration = _server.Configuration, OperationTimeout = TimeSpan.FromSeconds(5) }).GetAwaiter().GetResult();
        _redisLimiter = new RedisQuotaLimiter(_connection, new RateLimitingOptions(), TimeProvider.System, NullLogger<RedisQuotaLimiter>.Instance);
        if (_redisLimiter.AcquireAsync("acct:warm", Policy, 1).AsTask().GetAwaiter().GetResult().Degraded)
        {
            throw new InvalidOperationException("the Redis limiter could not reach the benchmark's redis-server");
        }

        _evalshaBefore = _server.Calls("evalsha");
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        if (_server is not null)
        {
            long evalsha = _server.Calls("evalsha") - _evalshaBefore;
            long eval = _server.Calls("eval");
            Console.WriteLine($"// Redis decisions: {_decisions}, EVALSHA calls: {evalsha}, EVAL calls (script loads): {eval}, commands per decision: {(_decisions == 0 ? 0 : (double)evalsha / _decisions):F3}");
        }

        _redisLimiter?.Dispose();
        _connection?.DisposeAsync().AsTask().GetAwaiter().GetResult();
        _server?.Dispose();
        _memoryLimiter.Dispose();
    }

    [Benchmark(Baseline = true)]
    public bool Arithmetic()
    {
        QuotaVerdict verdict = QuotaMath.Decide(_state, _limits, 1, _now++, commit: true, out _state);
        return verdict.Allowed;
    }

    [Benchmark]
    public bool InMemoryHotPartition() => _memoryLimiter.AcquireAsync("acct:hot", Policy, 1).Result.Allowed;

    [Benchmark]
    public bool InMemoryManyPartitions() => _memoryLimiter.AcquireAsync(_partitions[_next++ % _partitions.Length], Policy, 1).Result.Allowed;

    /// <summary>The floor of any Redis decision: one PING round trip through the same connection and timeout wrapper.</summary>
    [Benchmark]
    public Task<TimeSpan> RedisPingRoundTrip() => _connection!.RunAsync(db => db.PingAsync());

    [Benchmark]
    public async Task<bool> RedisOneAtATime()
    {
        _decisions++;
        return (await _redisLimiter!.AcquireAsync("acct:hot", Policy, 1)).Allowed;
    }

    [Benchmark(OperationsPerInvoke = Concurrent)]
    public async Task<int> Redis64Concurrent()
    {
        for (int i = 0; i < Concurrent; i++)
        {
            _batch[i] = _redisLimiter!.AcquireAsync(_partitions[_next++ % _partitions.Length], Policy, 1).AsTask();
        }

        _decisions += Concurrent;
        QuotaDecision[] decisions = await Task.WhenAll(_batch);
        return decisions.Length;
    }
}
