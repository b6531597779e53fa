using System.Diagnostics;
using System.Diagnostics.Metrics;
using SessionGate.Diagnostics;

namespace SessionGate.RateLimiting.Quotas;

/// <summary>
/// Rate-limiter instruments on the <c>SessionGate</c> meter. Tags have a handful of values each
/// (never the account or address: unbounded cardinality).
/// </summary>
internal sealed class QuotaMetrics : IDisposable
{
    /// <summary>The meter every SessionGate instrument lives on.</summary>
    public const string MeterName = SessionGateMeter.Name;

    /// <summary>Decisions, tagged by <see cref="ResultTag"/> and <see cref="DegradedTag"/>.</summary>
    public const string DecisionsName = "sessiongate.ratelimit.decisions";

    /// <summary>Redis calls of the limiter that failed (timeout, connection, server error).</summary>
    public const string RedisFailuresName = "sessiongate.ratelimit.redis_failures";

    /// <summary>Circuit-breaker switches, tagged by <see cref="SwitchTag"/>.</summary>
    public const string FallbackSwitchesName = "sessiongate.ratelimit.fallback_switches";

    /// <summary><c>allowed</c>, <c>rate_limited</c>, <c>quota_exhausted</c> or <c>unavailable</c>.</summary>
    public const string ResultTag = "sessiongate.ratelimit.result";

    /// <summary>True when decided without Redis (local fallback or fail-open).</summary>
    public const string DegradedTag = "sessiongate.ratelimit.degraded";

    /// <summary><c>to_fallback</c> (breaker opened) or <c>to_redis</c> (breaker closed).</summary>
    public const string SwitchTag = "sessiongate.ratelimit.switch";

    private static readonly object True = true;
    private static readonly object False = false;

    private readonly SessionGateMeterHandle _meter;
    private readonly Counter<long> _decisions;
    private readonly Counter<long> _redisFailures;
    private readonly Counter<long> _switches;

    /// <summary>Creates the instruments on a meter from <paramref name="meterFactory"/>, or on an owned meter without one.</summary>
    public QuotaMetrics(IMeterFactory? meterFactory)
    {
        _meter = new SessionGateMeterHandle(meterFactory);
        _decisions = Meter.CreateCounter<long>(DecisionsName, "{decision}", "Rate-limiter decisions by result.");
        _redisFailures = Meter.CreateCounter<long>(RedisFailuresName, "{failure}", "Rate-limiter Redis calls that failed or timed out.");
        _switches = Meter.CreateCounter<long>(FallbackSwitchesName, "{switch}", "Switches between the shared Redis limiter and the configured failure mode.");
    }

    /// <summary>The meter (tests listen to this instance only).</summary>
    public Meter Meter => _meter.Meter;

    /// <summary>Counts one decision.</summary>
    public void Decision(in QuotaDecision decision)
    {
        if (!_decisions.Enabled)
        {
            return;
        }

        var tags = new TagList
        {
            { ResultTag, ResultName(decision) },
            { DegradedTag, decision.Degraded ? True : False },
        };
        _decisions.Add(1, tags);
    }

    /// <summary>Counts one failed Redis call.</summary>
    public void RedisFailure() => _redisFailures.Add(1);

    /// <summary>Counts one switch.</summary>
    public void Switch(bool toFallback)
    {
        if (_switches.Enabled)
        {
            _switches.Add(1, new KeyValuePair<string, object?>(SwitchTag, toFallback ? "to_fallback" : "to_redis"));
        }
    }

    /// <summary>The result tag value of <paramref name="decision"/>.</summary>
    public static string ResultName(in QuotaDecision decision) => decision.Rejection switch
    {
        _ when decision.Allowed => "allowed",
        QuotaRejection.QuotaExhausted => "quota_exhausted",
        QuotaRejection.Unavailable => "unavailable",
        _ => "rate_limited",
    };

    /// <inheritdoc />
    public void Dispose() => _meter.Dispose();
}
