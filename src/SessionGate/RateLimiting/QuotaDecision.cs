namespace SessionGate.RateLimiting;

/// <summary>The outcome of one limiter decision, with what the RateLimit headers report.</summary>
public readonly record struct QuotaDecision
{
    /// <summary>True when the request may proceed (its cost was taken from every budget).</summary>
    public required bool Allowed { get; init; }

    /// <summary>Which budget refused the request, when <see cref="Allowed"/> is false.</summary>
    public QuotaRejection Rejection { get; init; }

    /// <summary>Cost units that could be spent right now from the rate bucket after this decision (RateLimit <c>r</c>).</summary>
    public required long Remaining { get; init; }

    /// <summary>
    /// RateLimit <c>t</c> of the rate bucket: when allowed, time until the bucket is full again; when
    /// refused by it, time until this request's cost would be admitted.
    /// </summary>
    public required TimeSpan Reset { get; init; }

    /// <summary>Cost units left today, or null without a daily budget.</summary>
    public long? DailyRemaining { get; init; }

    /// <summary>Time until the daily budget resets (00:00 UTC), or null without a daily budget.</summary>
    public TimeSpan? DailyReset { get; init; }

    /// <summary>When refused: how long to wait before retrying (never earlier than the refusing budget's reset).</summary>
    public TimeSpan RetryAfter { get; init; }

    /// <summary>True when the decision was made without the shared store (Redis trouble: local fallback or fail-open).</summary>
    public bool Degraded { get; init; }
}

/// <summary>Why a request was refused.</summary>
public enum QuotaRejection
{
    /// <summary>Not refused.</summary>
    None = 0,

    /// <summary>The rate bucket is empty (<c>rate_limited</c>).</summary>
    RateLimited = 1,

    /// <summary>The daily budget is spent (<c>quota_exhausted</c>).</summary>
    QuotaExhausted = 2,

    /// <summary>The shared store is unavailable and the failure mode is FailClosed (503).</summary>
    Unavailable = 3,
}
