using Microsoft.AspNetCore.Http;
using SessionGate.RateLimiting.Tiers;

using SessionGate.RateLimiting;
using SessionGate.AspNetCore.RateLimiting;

namespace SessionGate.AspNetCore.RateLimiting;

/// <summary>
/// What a request limited by SessionGate reports about its limits: the RateLimit and RateLimit-Policy
/// headers of a granted response (rejections write their own) and the
/// <see cref="ISessionGateRateLimitFeature"/>. Attached by the SessionGate middleware, after
/// authentication, to requests whose endpoint uses the <see cref="SessionGatePolicyNames.PerAccount"/>
/// policy; the partition computed here is the one the policy then uses (computed once per request).
/// </summary>
internal sealed class RateLimitResponse : ISessionGateRateLimitFeature
{
    private static readonly Func<object, Task> WriteHeaders = state =>
    {
        var response = (RateLimitResponse)state;
        IHeaderDictionary headers = response._context.Response.Headers;
        // In shadow mode the headers are optional (SessionGate:RateLimiting:ShadowHeaders): by default
        // a client sees no change while a limit is being tried out.
        bool reported = !response.Partition.Policy.Shadow || response._shadowHeaders;
        if (reported && !headers.ContainsKey(RateLimitHeaders.RateLimitHeader) && response.TryGetOutcome(out RateLimitOutcome? outcome))
        {
            RateLimitHeaders.Apply(headers, outcome.Policy, outcome.Decision, refused: false);
        }

        return Task.CompletedTask;
    };

    private readonly HttpContext _context;
    private readonly RateLimitOutcomes _outcomes;
    private readonly TierCatalog _tiers;
    private readonly bool _shadowHeaders;
    private QuotaPartition? _partition;

    private RateLimitResponse(HttpContext context, RateLimitOutcomes outcomes, TierCatalog tiers)
    {
        _context = context;
        _outcomes = outcomes;
        _tiers = tiers;
        _shadowHeaders = tiers.ShadowHeaders;
    }

    /// <summary>
    /// The request's partition, computed when first read (by the policy): middleware between
    /// UseSessionGate and UseRateLimiter may still set the request's cost (<see cref="ISessionGateRequestCostFeature"/>).
    /// </summary>
    public QuotaPartition Partition => _partition ??= ShadowPolicies.PartitionFor(_context, _tiers);

    /// <inheritdoc />
    public QuotaPolicy Policy => Outcome().Policy;

    /// <inheritdoc />
    public QuotaDecision Decision => Outcome().Decision;

    /// <summary>Attaches the response to <paramref name="context"/> (once authentication has set the caller).</summary>
    public static void Attach(HttpContext context, RateLimitOutcomes outcomes, TierCatalog tiers)
    {
        var response = new RateLimitResponse(context, outcomes, tiers);
        context.Features.Set<ISessionGateRateLimitFeature>(response);
        context.Response.OnStarting(WriteHeaders, response);
    }

    /// <summary>The partition of <paramref name="context"/>: the attached one, else computed (a pure function of the request).</summary>
    public static QuotaPartition PartitionOf(HttpContext context, TierCatalog tiers) =>
        context.Features.Get<ISessionGateRateLimitFeature>() is RateLimitResponse attached ? attached.Partition : ShadowPolicies.PartitionFor(context, tiers);

    private bool TryGetOutcome([System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out RateLimitOutcome? outcome) =>
        _outcomes.TryGet(Partition.Key, out outcome);

    private RateLimitOutcome Outcome() => TryGetOutcome(out RateLimitOutcome? outcome)
        ? outcome
        : throw new InvalidOperationException("The rate limiter has not decided this request yet (read the feature from the endpoint, after UseRateLimiter).");
}
