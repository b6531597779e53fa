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

    /// <summary>
    /// Verifies a header value sent by <paramref name="client"/> (the client key of IP blocking): a
    /// header whose content has no verdict yet is charged to the client's verification budget before
    /// any signature work (<see cref="SessionVerdict.FirstSeen"/>). An implementation without budgets
    /// verifies as <see cref="VerifyAsync(string, CancellationToken)"/> does.
    /// </summary>
    ValueTask<SessionVerdict> VerifyAsync(string headerValue, string? client, CancellationToken cancellationToken = default) =>
        VerifyAsync(headerValue, cancellationToken);
}
