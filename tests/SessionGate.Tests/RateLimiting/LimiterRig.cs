using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Time.Testing;
using SessionGate.RateLimiting;
using SessionGate.RateLimiting.Quotas;
using SessionGate.RateLimiting.Redis;
using SessionGate.Testing;

namespace SessionGate.Tests.RateLimiting;

/// <summary>A Redis limiter on a fake store and a fake clock, with its logs and counters captured.</summary>
internal sealed class LimiterRig : IDisposable
{
    public static readonly TimeSpan RetryInterval = TimeSpan.FromSeconds(5);
    public static readonly QuotaPolicy Policy = new("holder", 600, 100, 1000);

    private RedisQuotaLimiter? _limiter;
    private MetricCollector<long>? _decisions;
    private MetricCollector<long>? _fallbackSwitches;
    private MetricCollector<long>? _redisFailures;

    public LimiterRig() => Store = new FakeQuotaStore(Time);

    public FakeTimeProvider Time { get; } = new(TestTime.Start);

    public FakeQuotaStore Store { get; }

    public FakeLogger<RedisQuotaLimiter> Logger { get; } = new();

    // Collectors on this limiter's own meter, so tests running in parallel cannot see each other's measurements.
    public MetricCollector<long> Decisions => _decisions ?? throw new InvalidOperationException("Call Create first.");

    public MetricCollector<long> FallbackSwitches => _fallbackSwitches ?? throw new InvalidOperationException("Call Create first.");

    public MetricCollector<long> RedisFailures => _redisFailures ?? throw new InvalidOperationException("Call Create first.");

    public RedisQuotaLimiter Create(RedisFailureMode mode, int instances = 1, int maxPartitions = 100_000, LeaseOptions? leases = null)
    {
        var options = new RateLimitingOptions { RedisFailureMode = mode, InstanceCount = instances, RedisRetryInterval = RetryInterval, MaxLocalPartitions = maxPartitions, Leases = leases ?? new LeaseOptions() };
        _limiter = new RedisQuotaLimiter(Store, options, Time, Logger);
        _decisions = new MetricCollector<long>(_limiter.Meter, QuotaMetrics.DecisionsName);
        _fallbackSwitches = new MetricCollector<long>(_limiter.Meter, QuotaMetrics.FallbackSwitchesName);
        _redisFailures = new MetricCollector<long>(_limiter.Meter, QuotaMetrics.RedisFailuresName);
        return _limiter;
    }

    public void Dispose()
    {
        _decisions?.Dispose();
        _fallbackSwitches?.Dispose();
        _redisFailures?.Dispose();
        _limiter?.Dispose();
    }
}
