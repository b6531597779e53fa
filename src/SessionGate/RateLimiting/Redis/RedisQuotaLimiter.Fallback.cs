using SessionGate.RateLimiting.Quotas;

namespace SessionGate.RateLimiting.Redis;

/// <content>What the limiter answers while Redis is unavailable (<see cref="RedisFailureMode"/>).</content>
internal sealed partial class RedisQuotaLimiter
{
    /// <summary>The shortest Retry-After of a FailClosed refusal (the next probe may be due already).</summary>
    internal static readonly TimeSpan MinimumUnavailableRetryAfter = TimeSpan.FromSeconds(1);

    /// <summary>
    /// LocalFallback: this instance decides alone with every limit divided by InstanceCount, so the
    /// instances together stay near the shared quota (a cost above the divided burst is refused).
    /// FailClosed: refused as <see cref="QuotaRejection.Unavailable"/>, Retry-After the time until the
    /// next probe (at least <see cref="MinimumUnavailableRetryAfter"/>); remaining 0, daily fields unknown (null).
    /// FailOpen: allowed; the state is unknown, so Remaining reports the whole burst, Reset zero, and
    /// the whole daily budget until 00:00 UTC (by this instance's clock).
    /// </summary>
    private QuotaDecision Fallback(string key, QuotaPolicy policy, long cost, bool commit)
    {
        switch (_options.RedisFailureMode)
        {
            case RedisFailureMode.FailClosed:
                TimeSpan retryAfter = _breaker.UntilProbe();
                retryAfter = retryAfter > MinimumUnavailableRetryAfter ? retryAfter : MinimumUnavailableRetryAfter;
                return new QuotaDecision
                {
                    Allowed = false,
                    Rejection = QuotaRejection.Unavailable,
                    Remaining = 0,
                    Reset = retryAfter,
                    RetryAfter = retryAfter,
                };

            case RedisFailureMode.FailOpen:
                long now = UnixMicroseconds.Now(_timeProvider);
                return new QuotaDecision
                {
                    Allowed = true,
                    Remaining = policy.Burst,
                    Reset = TimeSpan.Zero,
                    DailyRemaining = policy.DailyQuota,
                    DailyReset = policy.DailyQuota is null ? null : TimeSpan.FromTicks(UnixMicroseconds.UntilNextDay(now) * TimeSpan.TicksPerMicrosecond),
                    Degraded = true,
                };

            default:
                return _local.Decide(key, GcraLimits.From(policy, _instances), cost, commit).ToDecision(degraded: true);
        }
    }
}
