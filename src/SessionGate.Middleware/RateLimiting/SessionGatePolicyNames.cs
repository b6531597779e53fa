namespace SessionGate.RateLimiting;

/// <summary>Names of SessionGate's rate-limiter policies, for <c>.RequireRateLimiting(…)</c>.</summary>
public static class SessionGatePolicyNames
{
    /// <summary>
    /// One quota per account (by balance tier) or, for anonymous callers, per client address; shared
    /// by every gateway instance through Redis; costs from route metadata.
    /// </summary>
    public const string PerAccount = "SessionGate.PerAccount";
}
