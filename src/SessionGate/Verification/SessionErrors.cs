namespace SessionGate.Verification;

/// <summary>The HTTP status, stable code and human title of every <see cref="SessionError"/>.</summary>
public static class SessionErrors
{
    private static readonly Dictionary<SessionError, SessionErrorDescription> Descriptions = new()
    {
        [SessionError.SessionMalformed] = new(400, "session_malformed", "Malformed session header"),
        [SessionError.SessionRequired] = new(401, "session_required", "Session required"),
        [SessionError.SignatureInvalid] = new(401, "signature_invalid", "Invalid session signature"),
        [SessionError.BlockUnknown] = new(401, "block_unknown", "Unknown block"),
        [SessionError.BlockExpired] = new(401, "block_expired", "Session block expired"),
        [SessionError.KeyUnknown] = new(401, "key_unknown", "Unknown session key"),
        [SessionError.KeyAccountMismatch] = new(401, "key_account_mismatch", "Session key belongs to another account"),
        [SessionError.KeyExpired] = new(401, "key_expired", "Session key expired"),
        [SessionError.KeyDisabled] = new(401, "key_disabled", "Session key disabled"),
        [SessionError.ScopeDenied] = new(403, "scope_denied", "Outside the session key's scope"),
        [SessionError.RouteDisabled] = new(403, "route_disabled", "Route disabled"),
        [SessionError.IpBlocked] = new(429, "ip_blocked", "Too many failed authentications"),
        [SessionError.RateLimited] = new(429, "rate_limited", "Rate limit exceeded"),
        [SessionError.QuotaExhausted] = new(429, "quota_exhausted", "Quota exhausted"),
        [SessionError.ChainUnavailable] = new(503, "chain_unavailable", "Chain unavailable"),
        [SessionError.StoreUnavailable] = new(503, "store_unavailable", "Store unavailable"),
        [SessionError.LimiterUnavailable] = new(503, "limiter_unavailable", "Rate limiter unavailable"),
        [SessionError.DifficultyRequired] = new(401, "difficulty_required", "Proof of work required"),
        [SessionError.VerificationBudgetExceeded] = new(429, "verification_budget_exceeded", "Too many new session headers"),
    };

    /// <summary>The description of <paramref name="error"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">For <see cref="SessionError.None"/>.</exception>
    public static SessionErrorDescription Describe(SessionError error) =>
        Descriptions.TryGetValue(error, out SessionErrorDescription? description)
            ? description
            : throw new ArgumentOutOfRangeException(nameof(error), error, "No description for this value.");

    /// <summary>Every error with its description (for docs and discovery endpoints).</summary>
    public static IReadOnlyDictionary<SessionError, SessionErrorDescription> All => Descriptions;

    /// <summary>
    /// True for failures that count towards temporary IP blocking: the caller failed to authenticate.
    /// Not counted: scope and route refusals, rate limits, and our own unavailability.
    /// </summary>
    public static bool IsAuthenticationFailure(SessionError error) => error is
        SessionError.SessionMalformed or SessionError.SignatureInvalid or SessionError.BlockUnknown or SessionError.BlockExpired or
        SessionError.KeyUnknown or SessionError.KeyAccountMismatch or SessionError.KeyExpired or SessionError.KeyDisabled;
}

/// <summary>HTTP status, stable code (the problem-details <c>code</c> member) and title.</summary>
/// <param name="Status">HTTP status code.</param>
/// <param name="Code">Stable machine-readable code, e.g. <c>block_expired</c>.</param>
/// <param name="Title">Short human-readable summary.</param>
public sealed record SessionErrorDescription(int Status, string Code, string Title);
