using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.RateLimiting;
using SessionGate.Authentication;
using SessionGate.Verification;

namespace SessionGate.RateLimiting;

/// <summary>
/// The <see cref="SessionGatePolicyNames.PerAccount"/> policy. ASP.NET Core's policies create one
/// <see cref="RateLimiter"/> per partition key, but SessionGate's partitions (accounts, addresses) are
/// unbounded and its state lives in Redis, so the policy has a single partition whose limiter hands
/// the current request to <see cref="SessionGateRateLimiter"/>. Rejections are RFC 9457 problems.
/// </summary>
internal sealed class SessionGateRateLimiterPolicy : IRateLimiterPolicy<string>
{
    private readonly CurrentRequestRateLimiter _limiter;

    public SessionGateRateLimiterPolicy(SessionGateRateLimiter limiter, IHttpContextAccessor accessor)
    {
        _limiter = new CurrentRequestRateLimiter(limiter, accessor);
    }

    public Func<OnRejectedContext, CancellationToken, ValueTask>? OnRejected => WriteRejectionAsync;

    public RateLimitPartition<string> GetPartition(HttpContext httpContext) => RateLimitPartition.Get("sessiongate", _ => _limiter);

    /// <summary>Writes the 429 (or 503) problem; the RateLimit headers are already on the response.</summary>
    internal static ValueTask WriteRejectionAsync(OnRejectedContext context, CancellationToken cancellationToken)
    {
        QuotaDecision decision = context.Lease is SessionGateLease lease ? lease.Decision : default;
        (SessionError error, string detail) = decision.Rejection switch
        {
            QuotaRejection.QuotaExhausted => (SessionError.QuotaExhausted, "The daily quota of this tier is spent; it resets at 00:00 UTC."),
            QuotaRejection.Unavailable => (SessionError.LimiterUnavailable, "The shared rate limiter is unavailable; try again shortly."),
            _ => (SessionError.RateLimited, "Too many requests for this tier; see the RateLimit and Retry-After headers."),
        };
        TimeSpan? retryAfter = decision.Rejection == QuotaRejection.Unavailable ? TimeSpan.FromSeconds(1) : null;
        return new ValueTask(ProblemResponses.WriteAsync(context.HttpContext, error, detail, retryAfter));
    }

    /// <summary>A limiter that acquires for whichever request is current (ASP.NET calls it inline).</summary>
    private sealed class CurrentRequestRateLimiter(SessionGateRateLimiter inner, IHttpContextAccessor accessor) : RateLimiter
    {
        public override TimeSpan? IdleDuration => null;

        public override RateLimiterStatistics? GetStatistics() => null;

        protected override RateLimitLease AttemptAcquireCore(int permitCount) => DeferredLease.Instance;

        protected override ValueTask<RateLimitLease> AcquireAsyncCore(int permitCount, CancellationToken cancellationToken)
        {
            HttpContext context = accessor.HttpContext
                ?? throw new InvalidOperationException("The SessionGate rate-limit policy is used outside an HTTP request.");
            return inner.AcquireAsync(context, permitCount, cancellationToken);
        }
    }
}
