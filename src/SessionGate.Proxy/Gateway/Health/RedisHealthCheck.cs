using Microsoft.Extensions.Diagnostics.HealthChecks;
using SessionGate.AspNetCore.DependencyInjection;
using SessionGate.Storage.Redis;

namespace SessionGate.Proxy.Gateway.Health;

/// <summary>Ready while Redis answers a PING within SessionGate:RedisTimeout; always ready without Redis.</summary>
internal sealed class RedisHealthCheck : IHealthCheck
{
    private readonly RedisConnection? _redis;

    // Resolved only when Redis is in use: without it there is no connection to make.
    public RedisHealthCheck(IServiceProvider services) =>
        _redis = services.UsesRedis() ? Microsoft.Extensions.DependencyInjection.ServiceProviderServiceExtensions.GetRequiredService<RedisConnection>(services) : null;

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (_redis is null)
        {
            return HealthCheckResult.Healthy("Redis is not configured: in-memory stores (single instance).");
        }

        try
        {
            TimeSpan latency = await _redis.RunAsync(db => db.PingAsync(), cancellationToken).ConfigureAwait(false);
            return HealthCheckResult.Healthy("Redis answers.", new Dictionary<string, object> { ["latency_ms"] = Math.Round(latency.TotalMilliseconds, 1) });
        }
        catch (RedisUnavailableException e)
        {
            return HealthCheckResult.Unhealthy("Redis is unreachable: " + e.Message);
        }
    }
}
