namespace SessionGate.RateLimiting.Quotas;

/// <summary>
/// One decision as the seven integers the Lua script returns (times in microseconds, -1 for "no daily
/// budget"). Comparing verdicts is how tests prove the script and <see cref="QuotaMath"/> agree.
/// </summary>
internal readonly record struct QuotaVerdict(
    bool Allowed,
    QuotaRejection Rejection,
    long Remaining,
    long ResetMicros,
    long RetryAfterMicros,
    long DailyRemaining,
    long DailyResetMicros)
{
    /// <summary>The decision reported to callers.</summary>
    public QuotaDecision ToDecision(bool degraded = false) => new()
    {
        Allowed = Allowed,
        Rejection = Rejection,
        Remaining = Remaining,
        Reset = FromMicros(ResetMicros),
        RetryAfter = FromMicros(RetryAfterMicros),
        DailyRemaining = DailyRemaining < 0 ? null : DailyRemaining,
        DailyReset = DailyResetMicros < 0 ? null : FromMicros(DailyResetMicros),
        Degraded = degraded,
    };

    private static TimeSpan FromMicros(long micros) => TimeSpan.FromTicks(micros * TimeSpan.TicksPerMicrosecond);
}
