namespace SessionGate.Verification;

/// <summary>Verifies <c>kira_session</c> header values (DESIGN §1 validity rules 1–4).</summary>
public interface ISessionVerifier
{
    /// <summary>
    /// Verifies a header value. A value seen before is answered from the verdict cache (no signature
    /// check), but expiry, key state (disable, expiry edits) and the block window are re-checked on
    /// every call. Never throws for client input.
    /// </summary>
    ValueTask<SessionVerdict> VerifyAsync(string headerValue, CancellationToken cancellationToken = default);
}
