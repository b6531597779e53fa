using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.RateLimiting;
using SessionGate.AspNetCore.Authentication;
using SessionGate.RateLimiting.Tiers;
using SessionGate.Usage;
using SessionGate.Verification;

using SessionGate.RateLimiting;
using SessionGate.AspNetCore.RateLimiting;

namespace SessionGate.AspNetCore.RateLimiting;

/// <summary>
/// The <see cref="SessionGatePolicyNames.PerAccount"/> policy (also YARP's
/// <c>RouteConfig.RateLimiterPolicy</c>): one partition per account, with its tier's limits, or per
/// anonymous client address (<see cref="QuotaPartition"/>); each partition's limiter decides through
/// <see cref="IQuotaLimiter"/>. Rejections are RFC 9457 problems with the RateLimit headers of the
/// rejecting decision; granted requests get theirs from <see cref="RateLimitResponse"/>.
/// </summary>
internal sealed class SessionGateRateLimiterPolicy : IRateLimiterPolicy<QuotaPartition>
{
    private readonly TierCatalog _tiers;
    private readonly Func<QuotaPartition, RateLimiter> _createLimiter;

    public SessionGateRateLimiterPolicy(IQuotaLimiter quotas, TierCatalog tiers, IUsageTracker usage, IUsageHistory history, RateLimitOutcomes outcomes)
    {
        _tiers = tiers;
        _createLimiter = partition => new QuotaPartitionLimiter(partition, quotas, usage, history, outcomes);
    }

    public Func<OnRejectedContext, CancellationToken, ValueTask>? OnRejected => WriteRejectionAsync;

    public RateLimitPartition<QuotaPartition> GetPartition(HttpContext httpContext) =>
        new(RateLimitResponse.PartitionOf(httpContext, _tiers), _createLimiter);

    /// <summary>Writes the 429 (or 503) problem with the RateLimit headers of the rejecting decision.</summary>
    internal static ValueTask WriteRejectionAsync(OnRejectedContext context, CancellationToken cancellationToken)
    {
        QuotaDecision decision = default;
        if (context.Lease is SessionGateLease lease)
        {
            decision = lease.Decision;
            RateLimitHeaders.Apply(context.HttpContext.Response.Headers, lease.Policy, decision);
        }

        (SessionError error, string detail) = decision.Rejection switch
        {
            QuotaRejection.QuotaExhausted => (SessionError.QuotaExhausted, "The daily quota of this tier is spent; it resets at 00:00 UTC."),
            QuotaRejection.Unavailable => (SessionError.LimiterUnavailable, "The shared rate limiter is unavailable; try again shortly."),
            _ => (SessionError.RateLimited, "Too many requests for this tier; see the RateLimit and Retry-After headers."),
        };
        TimeSpan? retryAfter = decision.Rejection == QuotaRejection.Unavailable ? TimeSpan.FromSeconds(1) : null;
        return new ValueTask(ProblemResponses.WriteAsync(context.HttpContext, error, detail, retryAfter));
    }
}
