using Microsoft.Extensions.Logging.Abstractions;
using SessionGate.RateLimiting;
using SessionGate.AspNetCore.RateLimiting;
using SessionGate.RateLimiting.Redis;
using SessionGate.Storage.Redis;

namespace SessionGate.IntegrationTests.RateLimiting;

/// <summary>One gateway instance's limiter: its own Redis connection (as separate processes would have).</summary>
internal sealed class LimiterInstance : IAsyncDisposable
{
    private LimiterInstance(RedisConnection connection, RedisQuotaLimiter limiter)
    {
        Connection = connection;
        Limiter = limiter;
    }

    public RedisConnection Connection { get; }

    public RedisQuotaLimiter Limiter { get; }

    public static async Task<LimiterInstance> StartAsync(Func<Task<RedisConnection>> connect, RateLimitingOptions? options = null, TimeProvider? timeProvider = null)
    {
        RedisConnection connection = await connect();
        var limiter = new RedisQuotaLimiter(connection, options ?? new RateLimitingOptions(), timeProvider ?? TimeProvider.System, NullLogger<RedisQuotaLimiter>.Instance);
        return new LimiterInstance(connection, limiter);
    }

    public async ValueTask DisposeAsync()
    {
        Limiter.Dispose();
        await Connection.DisposeAsync();
    }
}

/// <summary>Concurrent load against several limiter instances sharing one partition.</summary>
internal static class QuotaLoad
{
    /// <summary>Fires <paramref name="perInstance"/> concurrent decisions on each instance at once; returns every decision.</summary>
    public static async Task<QuotaDecision[]> RunAsync(IReadOnlyList<LimiterInstance> instances, string partition, QuotaPolicy policy, int perInstance)
    {
        using var start = new ManualResetEventSlim();
        Task<QuotaDecision>[] calls = [.. instances.SelectMany(instance => Enumerable.Range(0, perInstance).Select(_ => Task.Run(async () =>
        {
            start.Wait();
            return await instance.Limiter.AcquireAsync(partition, policy, 1);
        })))];
        start.Set();
        return await Task.WhenAll(calls).WaitAsync(TimeSpan.FromSeconds(60));
    }
}
