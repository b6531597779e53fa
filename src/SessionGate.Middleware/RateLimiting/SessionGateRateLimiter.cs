using System.Security.Claims;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Http;
using SessionGate.Authentication;
using SessionGate.RateLimiting.Quotas;
using SessionGate.Usage;

namespace SessionGate.RateLimiting;

/// <summary>
/// SessionGate's limiter in ASP.NET Core's own abstraction: partitions by account (tier from the
/// balance) or, for anonymous callers, by client address; charges the route's cost; decides through
/// <see cref="IQuotaLimiter"/> (one Redis round trip, shared by every instance). It writes the
/// RateLimit headers, adds the <c>tier</c> claim and the <see cref="ISessionGateRateLimitFeature"/>.
/// Usable as <c>RateLimiterOptions.GlobalLimiter</c> or through the <see cref="SessionGatePolicyNames.PerAccount"/> policy.
/// </summary>
internal sealed class SessionGateRateLimiter : PartitionedRateLimiter<HttpContext>
{
    private const int MaxPartitionLength = 128;

    private readonly IQuotaLimiter _limiter;
    private readonly ITierResolver _tiers;
    private readonly IUsageTracker _usage;

    public SessionGateRateLimiter(IQuotaLimiter limiter, ITierResolver tiers, IUsageTracker usage)
    {
        _limiter = limiter;
        _tiers = tiers;
        _usage = usage;
    }

    public override RateLimiterStatistics? GetStatistics(HttpContext resource) => null;

    // The quota lives in Redis, so it cannot be decided synchronously. ASP.NET Core's middleware
    // tries AttemptAcquire first and falls back to AcquireAsync when that lease is not acquired.
    protected override RateLimitLease AttemptAcquireCore(HttpContext resource, int permitCount) => DeferredLease.Instance;

    protected override async ValueTask<RateLimitLease> AcquireAsyncCore(HttpContext resource, int permitCount, CancellationToken cancellationToken)
    {
        ISessionGateFeature? session = resource.Features.Get<ISessionGateFeature>();
        (string partition, QuotaPolicy policy) = await PartitionAsync(resource, session, cancellationToken).ConfigureAwait(false);
        int cost = RouteSettings.For(resource.GetEndpoint()).Cost * Math.Max(1, permitCount);
        QuotaDecision decision = permitCount == 0
            ? await _limiter.PeekAsync(partition, policy, cancellationToken).ConfigureAwait(false)
            : await _limiter.AcquireAsync(partition, policy, cost, cancellationToken).ConfigureAwait(false);
        if (permitCount > 0)
        {
            // In memory only (the admin API's usage figures): no Redis command on the request path.
            _usage.Record(session?.Session.Account, rejected: !decision.Allowed);
        }

        if (!resource.Response.HasStarted)
        {
            RateLimitHeaders.Apply(resource.Response.Headers, policy, decision);
        }

        if (resource.User.Identity is ClaimsIdentity { AuthenticationType: SessionClaimTypes.AuthenticationType } identity && !identity.HasClaim(c => c.Type == SessionClaimTypes.Tier))
        {
            identity.AddClaim(new Claim(SessionClaimTypes.Tier, policy.Name));
        }

        resource.Features.Set<ISessionGateRateLimitFeature>(new SessionGateRateLimitFeature(policy, decision));
        return new SessionGateLease(policy, decision);
    }

    private async ValueTask<(string Partition, QuotaPolicy Policy)> PartitionAsync(HttpContext context, ISessionGateFeature? session, CancellationToken cancellationToken)
    {
        if (session is not null)
        {
            QuotaPolicy tier = await _tiers.ResolveAsync(session.Session.Account, cancellationToken).ConfigureAwait(false);
            return (PartitionKey.ForAccount(session.Session.Account), tier);
        }

        string address = SessionGateMiddleware.ClientAddress(context);
        return (PartitionKey.ForAddress(address.Length > MaxPartitionLength ? address[..MaxPartitionLength] : address), _tiers.Anonymous);
    }
}

/// <summary>The rate-limit outcome of the current request (tier, remaining quota), as an HttpContext feature.</summary>
public interface ISessionGateRateLimitFeature
{
    /// <summary>The caller's limits (tier name, rates, daily budget).</summary>
    QuotaPolicy Policy { get; }

    /// <summary>What the limiter decided for this request, including what remains.</summary>
    QuotaDecision Decision { get; }
}

internal sealed record SessionGateRateLimitFeature(QuotaPolicy Policy, QuotaDecision Decision) : ISessionGateRateLimitFeature;
