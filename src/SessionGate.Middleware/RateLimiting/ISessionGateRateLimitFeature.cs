using SessionGate.RateLimiting;
using SessionGate.AspNetCore.RateLimiting;

namespace SessionGate.AspNetCore.RateLimiting;

/// <summary>The rate-limit outcome of the current request (tier, remaining quota), as an HttpContext feature.</summary>
public interface ISessionGateRateLimitFeature
{
    /// <summary>The caller's limits (tier name, rates, daily budget).</summary>
    QuotaPolicy Policy { get; }

    /// <summary>What the limiter decided for this request's partition, including what remains.</summary>
    QuotaDecision Decision { get; }
}
