using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using SessionGate.Balances;
using SessionGate.Keys;
using SessionGate.Keys.Redis;
using SessionGate.RateLimiting;
using SessionGate.AspNetCore.RateLimiting;
using SessionGate.RateLimiting.Quotas;
using SessionGate.RateLimiting.Redis;
using SessionGate.RateLimiting.Tiers;
using SessionGate.Storage.Redis;
using SessionGate.Usage;
using SessionGate.Verification;
using SessionGate.Verification.Blocking;

namespace SessionGate.AspNetCore.DependencyInjection;

/// <summary>
/// The stores, each an interface with an in-memory and a Redis implementation chosen when it is first
/// resolved (<see cref="RedisRegistrations.UsesRedis"/>). <c>TryAdd</c>: an application's own
/// registration wins, and everything that needs the seam (verifier, limiter, admin API, workers)
/// resolves the same instance.
/// </summary>
internal static class StoreRegistrations
{
    public static void AddSessionGateStores(this IServiceCollection services)
    {
        services.TryAddSingleton<ISignerKeyDirectory>(sp => sp.UsesRedis()
            ? new RedisSignerKeyDirectory(Redis(sp), Time(sp), Logger<RedisSignerKeyDirectory>(sp), new RedisSignerKeyDirectoryOptions())
            : new InMemorySignerKeyDirectory(Time(sp)));

        services.TryAddSingleton<IClientBlocker>(sp =>
        {
            ClientBlockingOptions blocking = sp.GetSessionGateOptions().ClientBlocking;
            return sp.UsesRedis()
                ? new RedisClientBlocker(Redis(sp), blocking, Time(sp), Logger<RedisClientBlocker>(sp))
                : new InMemoryClientBlocker(blocking, Time(sp), Logger<InMemoryClientBlocker>(sp));
        });

        services.TryAddSingleton<ITierOverrideStore>(sp => sp.UsesRedis()
            ? new RedisTierOverrideStore(Redis(sp), Time(sp), Logger<RedisTierOverrideStore>(sp))
            : new InMemoryTierOverrideStore());

        services.TryAddSingleton(sp => new TierCatalog(sp.GetSessionGateOptions().RateLimiting));
        services.TryAddSingleton<ITierResolver>(sp => new TierResolver(
            sp.GetRequiredService<IBalanceSource>(),
            sp.GetRequiredService<ITierOverrideStore>(),
            sp.GetRequiredService<TierCatalog>(),
            Logger<TierResolver>(sp)));

        services.TryAddSingleton<IQuotaLimiter>(sp =>
        {
            RateLimitingOptions limits = sp.GetSessionGateOptions().RateLimiting;
            IMeterFactory? meters = sp.GetService<IMeterFactory>();
            return sp.UsesRedis()
                ? new RedisQuotaLimiter(Redis(sp), limits, Time(sp), Logger<RedisQuotaLimiter>(sp), meters)
                : new InMemoryQuotaLimiter(limits, Time(sp), meters);
        });

        services.TryAddSingleton<IUsageTracker>(sp => sp.UsesRedis()
            ? new RedisUsageTracker(Redis(sp), Time(sp), Logger<RedisUsageTracker>(sp))
            : new InMemoryUsageTracker(Time(sp)));

        // SessionGate:History's caps, validated with the rest of the section.
        services.TryAddSingleton<IUsageHistory>(sp =>
        {
            UsageHistoryLimits limits = (sp.GetSessionGateOptions().History ?? new UsageHistoryOptions()).ToLimits();
            return sp.UsesRedis()
                ? new RedisUsageHistory(Redis(sp), Time(sp), Logger<RedisUsageHistory>(sp), limits)
                : new InMemoryUsageHistory(Time(sp), limits);
        });
    }

    private static RedisConnection Redis(IServiceProvider services) => services.GetRequiredService<RedisConnection>();

    private static TimeProvider Time(IServiceProvider services) => services.GetRequiredService<TimeProvider>();

    private static ILogger<T> Logger<T>(IServiceProvider services) => services.GetRequiredService<ILogger<T>>();
}
