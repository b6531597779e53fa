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
        if (reported && !headers.ContainsKey(RateLimitHeaders.RateLimitHeader) && response.TryGetOutcome(out RateLimitOutcome outcome))
        {
            RateLimitHeaders.Apply(headers, outcome.Policy, outcome.Decision, refused: false);
        }

        return Task.CompletedTask;
    };

    // The attached response of the request whose partition the policy computed last on this thread.
    // ASP.NET Core's partitioned limiter calls the partition's limiter right after the partitioner,
    // synchronously on the same thread, so the limiter can reach its request's response here (and
    // takes it, so nothing is held past the call).
    [ThreadStatic]
    private static RateLimitResponse? t_deciding;

    private readonly HttpContext _context;
    private readonly RateLimitOutcomes _outcomes;
    private readonly TierCatalog _tiers;
    private readonly bool _shadowHeaders;
    private QuotaPartition? _partition;

    // Only refused requests carry one (an object of its own: a decision is ~70 B, every request pays for this class).
    private HeldRefusal? _refusal;

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

    /// <summary>
    /// The partition of <paramref name="context"/> for the policy's partitioner (<see cref="PartitionOf"/>),
    /// remembering the request's attached response for the limiter called next on this thread
    /// (<see cref="TakeDeciding"/>).
    /// </summary>
    internal static QuotaPartition PartitionForDecision(HttpContext context, TierCatalog tiers)
    {
        if (context.Features.Get<ISessionGateRateLimitFeature>() is RateLimitResponse attached)
        {
            t_deciding = attached;
            return attached.Partition;
        }

        t_deciding = null;
        return ShadowPolicies.PartitionFor(context, tiers);
    }

    /// <summary>The response of the request being decided on this thread, or null; clears it.</summary>
    internal static RateLimitResponse? TakeDeciding()
    {
        RateLimitResponse? deciding = t_deciding;
        t_deciding = null;
        return deciding;
    }

    /// <summary>Keeps a synchronous refusal for the asynchronous acquisition ASP.NET Core makes next for this request.</summary>
    internal void HoldRefusal(QuotaPartitionLimiter limiter, in QuotaDecision refusal) =>
        _refusal = new HeldRefusal(limiter, refusal);

    /// <summary>Takes the refusal <paramref name="limiter"/> held for this request, if any.</summary>
    internal bool TryTakeRefusal(QuotaPartitionLimiter limiter, out QuotaDecision refusal)
    {
        if (_refusal is not { } held || !ReferenceEquals(held.By, limiter))
        {
            refusal = default;
            return false;
        }

        refusal = held.Decision;
        _refusal = null;
        return true;
    }

    private sealed record HeldRefusal(QuotaPartitionLimiter By, QuotaDecision Decision);

    private bool TryGetOutcome(out RateLimitOutcome outcome) =>
        _outcomes.TryGet(Partition.Key, out outcome);

    private RateLimitOutcome Outcome() => TryGetOutcome(out RateLimitOutcome outcome)
        ? outcome
        : throw new InvalidOperationException("The rate limiter has not decided this request yet (read the feature from the endpoint, after UseRateLimiter).");
}
