namespace SessionGate.Verification;

/// <summary>Why a request was refused. Each has a stable machine-readable code (DESIGN §1).</summary>
public enum SessionError
{
    /// <summary>No error.</summary>
    None = 0,

    /// <summary>400 <c>session_malformed</c>: not JSON, wrong types, bad hex, too large.</summary>
    SessionMalformed,

    /// <summary>401 <c>session_required</c>: the route requires a session and none was sent.</summary>
    SessionRequired,

    /// <summary>401 <c>signature_invalid</c>.</summary>
    SignatureInvalid,

    /// <summary>401 <c>block_unknown</c>.</summary>
    BlockUnknown,

    /// <summary>401 <c>block_expired</c>: the block is older than the window.</summary>
    BlockExpired,

    /// <summary>401 <c>key_unknown</c>.</summary>
    KeyUnknown,

    /// <summary>401 <c>key_account_mismatch</c>: the key belongs to another account.</summary>
    KeyAccountMismatch,

    /// <summary>401 <c>key_expired</c>.</summary>
    KeyExpired,

    /// <summary>401 <c>key_disabled</c>.</summary>
    KeyDisabled,

    /// <summary>403 <c>scope_denied</c>: the key's scopes do not cover this route or method.</summary>
    ScopeDenied,

    /// <summary>403 <c>route_disabled</c>.</summary>
    RouteDisabled,

    /// <summary>429 <c>ip_blocked</c>: too many failed authentications from this address.</summary>
    IpBlocked,

    /// <summary>429 <c>rate_limited</c>.</summary>
    RateLimited,

    /// <summary>429 <c>quota_exhausted</c>: the daily budget is spent.</summary>
    QuotaExhausted,

    /// <summary>503 <c>chain_unavailable</c>: freshness or ownership cannot be established and nothing usable is cached.</summary>
    ChainUnavailable,

    /// <summary>503 <c>store_unavailable</c>: the key directory cannot be reached and the key is not cached.</summary>
    StoreUnavailable,

    /// <summary>503 <c>limiter_unavailable</c>: Redis is down and <c>RedisFailureMode</c> is <c>FailClosed</c>.</summary>
    LimiterUnavailable,

    /// <summary>401 <c>difficulty_required</c>: a first-seen header's nonce does not meet the current difficulty challenge.</summary>
    DifficultyRequired,
    /// <summary>429 <c>verification_budget_exceeded</c>: this address spent its first-seen signature checks for the minute.</summary>
    VerificationBudgetExceeded,
}
