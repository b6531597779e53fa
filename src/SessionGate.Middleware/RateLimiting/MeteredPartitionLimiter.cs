using System.Diagnostics;
using System.Threading.RateLimiting;
using SessionGate.Diagnostics;
using SessionGate.RateLimiting;
using SessionGate.RateLimiting.Quotas;
using SessionGate.Usage;

namespace SessionGate.AspNetCore.RateLimiting;

/// <summary>
/// Wraps a partition's <see cref="QuotaPartitionLimiter"/>: traces each request's limiter call
/// (<see cref="SessionGateActivitySource.RateLimitSpan"/>), counts its decision
/// (<see cref="RateLimitPolicyMetrics"/>: result, tier, shadow mode, near limit) and, when the
/// partition's policy is in shadow mode, grants what the limits refuse. A shadow decision is still a
/// real decision against the account's budget (a grant spends it, a would-be refusal takes nothing,
/// as an enforced refusal does), so the figures show exactly what enforcing the limits would do.
/// </summary>
/// <remarks>
/// In shadow mode the wrapped limiter is given no usage tracker and this wrapper counts the request
/// itself, because a would-be refusal is a served request, not a refusal, in the usage figures.
/// </remarks>
internal sealed class MeteredPartitionLimiter : RateLimiter
{
    private readonly QuotaPartitionLimiter _inner;
    private readonly QuotaPartition _partition;
    private readonly RateLimitPolicyMetrics _metrics;
    private readonly IUsageTracker _usage;
    private readonly double _nearLimitRatio;
    private readonly string? _account;

    public MeteredPartitionLimiter(QuotaPartitionLimiter inner, QuotaPartition partition, RateLimitPolicyMetrics metrics, IUsageTracker usage, double nearLimitRatio)
    {
        _inner = inner;
        _partition = partition;
        _metrics = metrics;
        _usage = usage;
        _nearLimitRatio = nearLimitRatio;
        _account = PartitionKey.AccountOf(partition.Key);
    }

    public override TimeSpan? IdleDuration => _inner.IdleDuration;

    public override RateLimiterStatistics? GetStatistics() => _inner.GetStatistics();

    // Decided here when the quota limiter can decide locally (see QuotaPartitionLimiter), counted,
    // traced and shadow-granted exactly as an asynchronous decision. The span is opened only once the
    // attempt turned out to decide, with the time the attempt started, so a deferred attempt leaves no
    // span behind and the asynchronous decision that follows traces itself.
    protected override RateLimitLease AttemptAcquireCore(int permitCount)
    {
        if (permitCount == 0)
        {
            return DeferredLease.Instance;
        }

        DateTimeOffset started = SessionGateActivitySource.Source.HasListeners() ? TimeProvider.System.GetUtcNow() : default;
        if (!_inner.TryDecideLocally(permitCount, out QuotaDecision decision))
        {
            return DeferredLease.Instance;
        }

        using Activity? activity = started == default
            ? null
            : SessionGateActivitySource.Source.StartActivity(SessionGateActivitySource.RateLimitSpan, ActivityKind.Internal, parentContext: default, startTime: started);
        return AfterDecision(activity, decision, permitCount);
    }

    protected override async ValueTask<RateLimitLease> AcquireAsyncCore(int permitCount, CancellationToken cancellationToken)
    {
        if (permitCount == 0)
        {
            return await _inner.AcquireAsync(0, cancellationToken).ConfigureAwait(false);
        }

        using Activity? activity = SessionGateActivitySource.Start(SessionGateActivitySource.RateLimitSpan);
        QuotaDecision decision = await _inner.DecideAsync(permitCount, cancellationToken).ConfigureAwait(false);
        return AfterDecision(activity, decision, permitCount);
    }

    // What follows a decision, synchronous or asynchronous: its span's attributes, the policy's
    // metrics, and in shadow mode the usage count and the grant of a would-be refusal.
    private RateLimitLease AfterDecision(Activity? activity, in QuotaDecision decision, int permitCount)
    {
        QuotaPolicy policy = _partition.Policy;
        if (activity is not null)
        {
            Describe(activity, policy, decision, _partition.Cost * permitCount, _account is not null);
        }

        _metrics.Record(policy, decision, RateLimitPolicyMetrics.IsNearLimit(policy, decision, _nearLimitRatio));
        if (!policy.Shadow)
        {
            return SessionGateLease.For(policy, decision);
        }

        _usage.Record(_account, rejected: false, shadowRejected: !decision.Allowed);
        return SessionGateLease.Granted;
    }

    // Bounded attributes only: the tier's name, closed sets and the cost, never the account or address.
    private static void Describe(Activity activity, QuotaPolicy policy, in QuotaDecision decision, int cost, bool account)
    {
        activity.SetTag(SessionGateActivitySource.RateLimitResultAttribute, QuotaMetrics.ResultName(decision));
        activity.SetTag(SessionGateActivitySource.TierAttribute, policy.Name);
        activity.SetTag(SessionGateActivitySource.ShadowAttribute, policy.Shadow);
        activity.SetTag(SessionGateActivitySource.CostAttribute, cost);
        activity.SetTag(SessionGateActivitySource.PartitionKindAttribute, account ? "account" : "address");
        activity.SetTag(SessionGateActivitySource.DegradedAttribute, decision.Degraded);
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _inner.Dispose();
        }

        base.Dispose(disposing);
    }

    protected override ValueTask DisposeAsyncCore() => _inner.DisposeAsync();
}

/// <summary>The usage tracker of a shadow partition's inner limiter: the wrapper counts instead.</summary>
internal sealed class ShadowUsage : IUsageTracker
{
    public static readonly ShadowUsage Instance = new();

    private ShadowUsage()
    {
    }

    public void Record(string? account, bool rejected)
    {
    }

    public Task<UsageSnapshot> ReadAsync(CancellationToken cancellationToken = default) =>
        throw new NotSupportedException("Shadow partitions count through the real usage tracker.");

    public Task<UsageSeries> ReadAccountAsync(string account, CancellationToken cancellationToken = default) =>
        throw new NotSupportedException("Shadow partitions count through the real usage tracker.");
}
