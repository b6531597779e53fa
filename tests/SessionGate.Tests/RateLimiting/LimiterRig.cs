using Microsoft.Extensions.Time.Testing;
using SessionGate.RateLimiting;
using SessionGate.RateLimiting.Redis;
using SessionGate.Testing;
using SessionGate.Tests.Chain;

namespace SessionGate.Tests.RateLimiting;

/// <summary>A Redis limiter on a fake store and a fake clock, with its logs and counters captured.</summary>
internal sealed class LimiterRig : IDisposable
{
    public static readonly TimeSpan RetryInterval = TimeSpan.FromSeconds(5);
    public static readonly QuotaPolicy Policy = new("holder", 600, 100, 1000);

    private RedisQuotaLimiter? _limiter;
    private MetricRecorder? _metrics;

    public LimiterRig() => Store = new FakeQuotaStore(Time);

    public FakeTimeProvider Time { get; } = new(TestTime.Start);

    public FakeQuotaStore Store { get; }

    public CapturingLogger<RedisQuotaLimiter> Logger { get; } = new();

    public MetricRecorder Metrics => _metrics ?? throw new InvalidOperationException("Call Create first.");

    public RedisQuotaLimiter Create(RedisFailureMode mode, int instances = 1, int maxPartitions = 100_000)
    {
        var options = new RateLimitingOptions { RedisFailureMode = mode, InstanceCount = instances, RedisRetryInterval = RetryInterval, MaxLocalPartitions = maxPartitions };
        _limiter = new RedisQuotaLimiter(Store, options, Time, Logger);
        _metrics = new MetricRecorder(_limiter.Meter);
        return _limiter;
    }

    public void Dispose()
    {
        _metrics?.Dispose();
        _limiter?.Dispose();
    }
}
