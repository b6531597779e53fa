using SessionGate.Keys;

namespace SessionGate.Verification;

/// <summary>The outcome of verifying one request's header: a verified session, or an error.</summary>
public readonly struct SessionVerdict
{
    private SessionVerdict(SessionError error, string? detail, VerifiedSession? session, SignerKeyRecord? key, bool firstSeen = false, TimeSpan? retryAfter = null)
    {
        Error = error;
        Detail = detail;
        Session = session;
        Key = key;
        FirstSeen = firstSeen;
        RetryAfter = retryAfter;
    }

    /// <summary><see cref="SessionError.None"/> when valid.</summary>
    public SessionError Error { get; }

    /// <summary>A human-readable explanation of the error, safe to show the client.</summary>
    public string? Detail { get; }

    /// <summary>The verified session when valid.</summary>
    public VerifiedSession? Session { get; }

    /// <summary>The signer-key record as of this request when valid.</summary>
    public SignerKeyRecord? Key { get; }

    /// <summary>
    /// True when the verifier had no usable verdict for this header's content (a verdict-cache miss):
    /// it charged the client's verification budget and checked the signature, or was refused by the
    /// budget. A refusal after such a miss counts towards the client's IP block whatever its code.
    /// </summary>
    public bool FirstSeen { get; }

    /// <summary>When the client may try again (<see cref="SessionError.VerificationBudgetExceeded"/>), or null.</summary>
    public TimeSpan? RetryAfter { get; }

    /// <summary>True when the header is valid for this request.</summary>
    public bool IsValid => Error == SessionError.None;

    /// <summary>A valid verdict.</summary>
    public static SessionVerdict Valid(VerifiedSession session, SignerKeyRecord key) => new(SessionError.None, null, session, key);

    /// <summary>A refusal.</summary>
    public static SessionVerdict Fail(SessionError error, string? detail = null) => new(error, detail, null, null);

    /// <summary>A refusal that says when to try again.</summary>
    public static SessionVerdict Fail(SessionError error, string? detail, TimeSpan retryAfter) => new(error, detail, null, null, retryAfter: retryAfter);

    /// <summary>This verdict, marked as the outcome of a verdict-cache miss (<see cref="FirstSeen"/>).</summary>
    public SessionVerdict AsFirstSeen() => new(Error, Detail, Session, Key, firstSeen: true, RetryAfter);
}
