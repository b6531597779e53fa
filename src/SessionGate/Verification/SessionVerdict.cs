using SessionGate.Keys;

namespace SessionGate.Verification;

/// <summary>The outcome of verifying one request's header: a verified session, or an error.</summary>
public readonly struct SessionVerdict
{
    private SessionVerdict(SessionError error, string? detail, VerifiedSession? session, SignerKeyRecord? key)
    {
        Error = error;
        Detail = detail;
        Session = session;
        Key = key;
    }

    /// <summary><see cref="SessionError.None"/> when valid.</summary>
    public SessionError Error { get; }

    /// <summary>A human-readable explanation of the error, safe to show the client.</summary>
    public string? Detail { get; }

    /// <summary>The verified session when valid.</summary>
    public VerifiedSession? Session { get; }

    /// <summary>The signer-key record as of this request when valid.</summary>
    public SignerKeyRecord? Key { get; }

    /// <summary>True when the header is valid for this request.</summary>
    public bool IsValid => Error == SessionError.None;

    /// <summary>A valid verdict.</summary>
    public static SessionVerdict Valid(VerifiedSession session, SignerKeyRecord key) => new(SessionError.None, null, session, key);

    /// <summary>A refusal.</summary>
    public static SessionVerdict Fail(SessionError error, string? detail = null) => new(error, detail, null, null);
}
