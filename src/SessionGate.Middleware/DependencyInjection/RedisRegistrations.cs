using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using SessionGate.AspNetCore.Configuration;
using SessionGate.Storage.Redis;
using StackExchange.Redis;

namespace SessionGate.AspNetCore.DependencyInjection;

/// <summary>
/// The one Redis connection every Redis store shares. Registered always but made only when a store
/// needs it, that is when <c>SessionGate:Redis</c> is set or the application handed over its own
/// multiplexer (<c>.AddRedis(IConnectionMultiplexer)</c>). The connection opens asynchronously in
/// <see cref="Hosting.SessionGateStartupService"/>, before the server accepts requests, never in a constructor.
/// </summary>
internal static class RedisRegistrations
{
    public static void AddSessionGateRedis(this IServiceCollection services)
    {
        services.TryAddSingleton(sp =>
        {
            SessionGateOptions options = sp.GetSessionGateOptions();
            var redisOptions = new RedisOptions
            {
                Configuration = options.Redis ?? "(the application's multiplexer)",
                OperationTimeout = options.RedisTimeout,
                KeyPrefix = options.RedisKeyPrefix,
            };
            if (sp.GetService<ApplicationMultiplexer>() is { } application)
            {
                return new RedisConnection(application.Multiplexer, redisOptions);
            }

            return options.Redis is not null
                ? new RedisConnection(redisOptions)
                : throw new InvalidOperationException("SessionGate uses in-memory stores: set SessionGate:Redis (or call AddRedis) to use Redis.");
        });

        // Commands sent (sessiongate.redis.operations); created at start-up when Redis is used.
        services.TryAddSingleton(sp => new RedisMetrics(sp.GetRequiredService<RedisConnection>(), sp.GetService<IMeterFactory>()));

        // For applications that want SessionGate's multiplexer (valid once the host has started).
        services.TryAddSingleton<IConnectionMultiplexer>(sp => sp.GetRequiredService<RedisConnection>().Multiplexer);
    }

    /// <summary>True when the stores are Redis stores (decided from the validated options, at resolution time).</summary>
    public static bool UsesRedis(this IServiceProvider services) =>
        services.GetSessionGateOptions().Redis is not null || services.GetService<ApplicationMultiplexer>() is not null;
}

/// <summary>A multiplexer the application made and owns, handed to SessionGate by <c>.AddRedis(IConnectionMultiplexer)</c>.</summary>
internal sealed record ApplicationMultiplexer(IConnectionMultiplexer Multiplexer);

/// <summary>Marks a service collection SessionGate was added to (a second <c>AddSessionGate</c> only configures).</summary>
internal sealed class SessionGateMarker;
