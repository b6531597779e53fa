namespace SessionGate.AspNetCore.Authentication;

/// <summary>Claim types SessionGate puts on <c>HttpContext.User</c> for a verified session.</summary>
public static class SessionClaimTypes
{
    /// <summary>The authentication type of a SessionGate identity.</summary>
    public const string AuthenticationType = "kira_session";

    /// <summary>The calling account (lowercase bech32).</summary>
    public const string Account = "account";

    /// <summary>The session key that signed, <c>0x</c> + lowercase hex.</summary>
    public const string SessionKey = "session_key";

    /// <summary>The caller's rate-limit tier.</summary>
    public const string Tier = "tier";
}
