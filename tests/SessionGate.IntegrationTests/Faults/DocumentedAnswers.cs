namespace SessionGate.IntegrationTests.Faults;

/// <summary>
/// The answers docs/protocol.md documents ("Errors"): each problem <c>code</c> with its status. A fault
/// test fails on any answer outside this table (a 500, a problem without a code, a code with the wrong
/// status, or an undocumented code).
/// </summary>
internal static class DocumentedAnswers
{
    public static readonly IReadOnlyDictionary<string, int> StatusOfCode = new Dictionary<string, int>(StringComparer.Ordinal)
    {
        ["session_malformed"] = 400,
        ["session_required"] = 401,
        ["signature_invalid"] = 401,
        ["block_unknown"] = 401,
        ["block_expired"] = 401,
        ["key_unknown"] = 401,
        ["key_account_mismatch"] = 401,
        ["key_expired"] = 401,
        ["key_disabled"] = 401,
        ["difficulty_required"] = 401,
        ["scope_denied"] = 403,
        ["route_disabled"] = 403,
        ["ip_blocked"] = 429,
        ["verification_budget_exceeded"] = 429,
        ["rate_limited"] = 429,
        ["quota_exhausted"] = 429,
        ["chain_unavailable"] = 503,
        ["store_unavailable"] = 503,
        ["limiter_unavailable"] = 503,
        ["upstream_error"] = 502,
        ["upstream_unavailable"] = 503,
        ["upstream_timeout"] = 504,
        ["request_invalid"] = 400,
    };

    /// <summary>True for a 2xx from the upstream, or a problem whose code is documented with this status.</summary>
    public static bool IsDocumented(Answer answer) =>
        answer.Code is null
            ? answer.Status is >= 200 and < 300
            : StatusOfCode.TryGetValue(answer.Code, out int status) && status == answer.Status;
}
