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
/// rejecting decision; granted requests get theirs from <see cref="RateLimitResponse"/>. Every
/// decision is counted (<see cref="MeteredPartitionLimiter"/>); a partition whose policy is in shadow
/// mode (the tier, the gateway or the route: <see cref="ShadowPolicies"/>) is never refused.
/// </summary>
internal sealed class SessionGateRateLimiterPolicy : IRateLimiterPolicy<PartitionHandle>
{
    private readonly TierCatalog _tiers;
    private readonly Func<PartitionHandle, RateLimiter> _createLimiter;

    public SessionGateRateLimiterPolicy(IQuotaLimiter quotas, TierCatalog tiers, IUsageTracker usage, IUsageHistory history, RateLimitOutcomes outcomes, RateLimitPolicyMetrics metrics)
    {
        _tiers = tiers;
        double nearLimitRatio = tiers.NearLimitRatio;
        _createLimiter = handle =>
        {
            QuotaPartition partition = handle.Value;
            return new MeteredPartitionLimiter(
                new QuotaPartitionLimiter(partition, quotas, partition.Policy.Shadow ? ShadowUsage.Instance : usage, history, outcomes),
                partition,
                metrics,
                usage,
                nearLimitRatio);
        };
    }

    public Func<OnRejectedContext, CancellationToken, ValueTask>? OnRejected => WriteRejectionAsync;

    public RateLimitPartition<PartitionHandle> GetPartition(HttpContext httpContext) =>
        new(PartitionHandle.For(httpContext, RateLimitResponse.PartitionForDecision(httpContext, _tiers)), _createLimiter);

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
        return WriteAsync(context.HttpContext, error, detail, retryAfter ?? decision.RetryAfter, retryAfter, cancellationToken);
    }

    private static async ValueTask WriteAsync(HttpContext context, SessionError error, string detail, TimeSpan jsonRpcRetryAfter, TimeSpan? retryAfter, CancellationToken cancellationToken)
    {
        // A header verified for this very request and then refused counts towards the address's block.
        await FirstSeenRefusals.RecordRateLimitRefusalAsync(context, cancellationToken).ConfigureAwait(false);
        if (context.Features.Get<IRateLimitRefusalWriter>() is { } writer)
        {
            // JSON-RPC routes: the same refusal as JSON-RPC error objects, one per call.
            await writer.WriteAsync(context, error, detail, jsonRpcRetryAfter).ConfigureAwait(false);
            return;
        }

        await ProblemResponses.WriteAsync(context, error, detail, retryAfter).ConfigureAwait(false);
    }
}
