namespace SessionGate.RateLimiting;

/// <summary>
/// Decides whether a caller may spend <c>cost</c> units now, atomically across every gateway
/// instance (one Redis round trip: one Lua script using Redis's own clock), or in memory without Redis.
/// </summary>
public interface IQuotaLimiter
{
    /// <summary>
    /// Takes <paramref name="cost"/> from the caller's rate bucket and daily budget if both have
    /// enough, else refuses without taking anything. Never throws for Redis trouble: that is
    /// handled by the configured <see cref="RedisFailureMode"/>.
    /// </summary>
    /// <param name="partition">The caller: <c>acct:&lt;account&gt;</c> or <c>ip:&lt;address&gt;</c> (bounded length).</param>
    /// <param name="policy">The caller's limits.</param>
    /// <param name="cost">Cost of this request (KIP_9.2 hit points), at least 1.</param>
    /// <param name="cancellationToken">Request cancellation.</param>
    ValueTask<QuotaDecision> AcquireAsync(string partition, QuotaPolicy policy, int cost, CancellationToken cancellationToken = default);

    /// <summary>
    /// Decides at once, without waiting, when this instance can: an in-memory limiter always can, a
    /// shared one when it holds enough permits leased for <paramref name="partition"/>. Returns false
    /// (and takes nothing) when the decision needs the shared store: the caller then uses
    /// <see cref="AcquireAsync"/>. A true return is a real decision, counted like one from
    /// <see cref="AcquireAsync"/>; so ASP.NET Core's rate-limiting middleware is answered on its
    /// synchronous path instead of its asynchronous one.
    /// </summary>
    /// <param name="partition">As for <see cref="AcquireAsync"/>.</param>
    /// <param name="policy">As for <see cref="AcquireAsync"/>.</param>
    /// <param name="cost">As for <see cref="AcquireAsync"/>, at least 1.</param>
    /// <param name="decision">The decision, when this returns true.</param>
    bool TryAcquireLocally(string partition, QuotaPolicy policy, int cost, out QuotaDecision decision)
    {
        decision = default;
        return false;
    }

    /// <summary>What remains for a caller without spending anything (admin API, dashboard).</summary>
    ValueTask<QuotaDecision> PeekAsync(string partition, QuotaPolicy policy, CancellationToken cancellationToken = default);
}

/// <summary>What the limiter does when Redis cannot be reached.</summary>
public enum RedisFailureMode
{
    /// <summary>Each instance limits locally with the per-account quota divided by <c>InstanceCount</c> (default).</summary>
    LocalFallback = 0,

    /// <summary>Refuse with 503 until Redis is back.</summary>
    FailClosed = 1,

    /// <summary>Allow every request until Redis is back.</summary>
    FailOpen = 2,
}
