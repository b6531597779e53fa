using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;
using SessionGate.AspNetCore.DependencyInjection;
using SessionGate.Storage.Redis;

namespace SessionGate.Proxy.Gateway.Health;

/// <summary>
/// Ready while Redis answers a PING within SessionGate:RedisTimeout; always ready without Redis.
/// The answer of <c>/readyz</c> is public: when Redis fails it says so in a fixed sentence, never the
/// client library's error text (which names endpoints, connection settings and internal state); the
/// detail goes to the log (event 5010).
/// </summary>
internal sealed class RedisHealthCheck : IHealthCheck
{
    /// <summary>The description of an unhealthy answer: fixed, whatever the failure.</summary>
    public const string UnreachableDescription = "Redis is unreachable.";

    private readonly RedisConnection? _redis;
    private readonly ILogger _logger;

    // Resolved only when Redis is in use: without it there is no connection to make.
    public RedisHealthCheck(IServiceProvider services, ILogger<RedisHealthCheck> logger)
    {
        _redis = services.UsesRedis() ? Microsoft.Extensions.DependencyInjection.ServiceProviderServiceExtensions.GetRequiredService<RedisConnection>(services) : null;
        _logger = logger;
    }

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
            Log.RedisUnhealthy(_logger, e.Message);
            return HealthCheckResult.Unhealthy(UnreachableDescription);
        }
    }
}
