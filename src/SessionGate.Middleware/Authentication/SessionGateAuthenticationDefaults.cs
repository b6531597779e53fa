using Microsoft.AspNetCore.Authentication;

namespace SessionGate.AspNetCore.Authentication;

/// <summary>The SessionGate authentication scheme (registered by <c>AddSessionGate()</c>).</summary>
public static class SessionGateAuthenticationDefaults
{
    /// <summary>The scheme name, for <c>[Authorize(AuthenticationSchemes = …)]</c> and policies.</summary>
    public const string AuthenticationScheme = "SessionGate";
}

/// <summary>Options of the SessionGate scheme; the settings themselves live in the <c>SessionGate</c> section.</summary>
public sealed class SessionGateAuthenticationOptions : AuthenticationSchemeOptions;

/// <summary>
/// Why the SessionGate scheme refused a request: the documented error (its status and problem
/// <c>code</c>), a detail for the client, and how long an address block lasts. Carried as
/// <see cref="AuthenticateResult.Failure"/>, so every caller of <c>AuthenticateAsync</c> — the
/// SessionGate middleware, ASP.NET Core's authorization — answers the same problem.
/// </summary>
public sealed class SessionAuthenticationException : Exception
{
    /// <summary>Creates the failure.</summary>
    public SessionAuthenticationException(Verification.SessionError error, string? detail, TimeSpan? retryAfter = null)
        : base(Verification.SessionErrors.Describe(error).Code)
    {
        Error = error;
        Detail = detail;
        RetryAfter = retryAfter;
    }

    /// <summary>Creates a failure without a specific error (for serializers and tooling).</summary>
    public SessionAuthenticationException()
        : this(Verification.SessionError.SessionMalformed, null)
    {
    }

    /// <summary>Creates a failure without a specific error (for serializers and tooling).</summary>
    public SessionAuthenticationException(string message)
        : this(Verification.SessionError.SessionMalformed, message)
    {
    }

    /// <summary>Creates a failure without a specific error (for serializers and tooling).</summary>
    public SessionAuthenticationException(string message, Exception innerException)
        : base(message, innerException)
    {
        Error = Verification.SessionError.SessionMalformed;
        Detail = message;
    }

    /// <summary>The documented error.</summary>
    public Verification.SessionError Error { get; }

    /// <summary>The detail for the client (never the client's header).</summary>
    public string? Detail { get; }

    /// <summary>For <c>ip_blocked</c>: how long the block lasts.</summary>
    public TimeSpan? RetryAfter { get; }
}
