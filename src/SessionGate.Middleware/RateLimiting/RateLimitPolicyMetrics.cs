using System.Diagnostics;
using System.Diagnostics.Metrics;
using SessionGate.Diagnostics;
using SessionGate.RateLimiting;
using SessionGate.RateLimiting.Quotas;

namespace SessionGate.AspNetCore.RateLimiting;

/// <summary>
/// What the <see cref="SessionGatePolicyNames.PerAccount"/> policy decided for each request, on the
/// <c>SessionGate</c> meter: <c>sessiongate.ratelimit.requests</c> by result, tier and shadow mode
/// (a <c>rate_limited</c> request with <c>shadow=true</c> is a would-be refusal that was served), and
/// <c>sessiongate.ratelimit.near_limit</c> (Envoy's <c>near_limit</c>): granted requests that left
/// less than 1 − <c>NearLimitRatio</c> of a budget. Tags are closed sets (results, configured tier
/// names, true/false): never an account or address. The limiter's own
/// <c>sessiongate.ratelimit.decisions</c> counts decisions, including those made without a request.
/// </summary>
internal sealed class RateLimitPolicyMetrics : IDisposable
{
    /// <summary>Requests decided by the policy, tagged by <see cref="QuotaMetrics.ResultTag"/>, <see cref="TierTag"/> and <see cref="ShadowTag"/>.</summary>
    public const string RequestsName = "sessiongate.ratelimit.requests";

    /// <summary>Granted requests that left less than 1 − NearLimitRatio of a budget, tagged by <see cref="TierTag"/> and <see cref="ShadowTag"/>.</summary>
    public const string NearLimitName = "sessiongate.ratelimit.near_limit";

    /// <summary>The tier's name (configured names and <c>anonymous</c>: bounded).</summary>
    public const string TierTag = "sessiongate.ratelimit.tier";

    /// <summary>True when the decision was made in shadow mode (never refused).</summary>
    public const string ShadowTag = "sessiongate.ratelimit.shadow";

    private static readonly object True = true;
    private static readonly object False = false;

    private readonly SessionGateMeterHandle _meter;
    private readonly Counter<long> _requests;
    private readonly Counter<long> _nearLimit;

    public RateLimitPolicyMetrics(IMeterFactory? meterFactory)
    {
        _meter = new SessionGateMeterHandle(meterFactory);
        _requests = _meter.Meter.CreateCounter<long>(RequestsName, "{request}", "Requests decided by the SessionGate rate-limiter policy, by result, tier and shadow mode.");
        _nearLimit = _meter.Meter.CreateCounter<long>(NearLimitName, "{request}", "Granted requests that left less than 1 - NearLimitRatio of the burst bucket or of the daily budget.");
    }

    /// <summary>Counts one request's decision.</summary>
    public void Record(QuotaPolicy policy, in QuotaDecision decision, bool nearLimit)
    {
        if (!_requests.Enabled && !_nearLimit.Enabled)
        {
            return;
        }

        object shadow = policy.Shadow ? True : False;
        _requests.Add(1, new TagList
        {
            { QuotaMetrics.ResultTag, QuotaMetrics.ResultName(decision) },
            { TierTag, policy.Name },
            { ShadowTag, shadow },
        });
        if (nearLimit)
        {
            _nearLimit.Add(1, new TagList { { TierTag, policy.Name }, { ShadowTag, shadow } });
        }
    }

    /// <summary>
    /// True when <paramref name="decision"/> was granted and left less than 1 − <paramref name="ratio"/>
    /// of the burst bucket or of the daily budget (ratio 0.8: less than 20 %).
    /// </summary>
    public static bool IsNearLimit(QuotaPolicy policy, in QuotaDecision decision, double ratio)
    {
        if (!decision.Allowed)
        {
            return false;
        }

        double headroom = 1 - ratio;
        if (decision.Remaining < headroom * policy.Burst)
        {
            return true;
        }

        return policy.DailyQuota is { } daily && decision.DailyRemaining is { } left && left < headroom * daily;
    }

    /// <inheritdoc />
    public void Dispose() => _meter.Dispose();
}
