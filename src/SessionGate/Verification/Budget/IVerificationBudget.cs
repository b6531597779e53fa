namespace SessionGate.Verification.Budget;

/// <summary>
/// The per-client budget of first-seen signature checks (<c>SessionGate:ClientBlocking:VerificationsPerMinute</c>):
/// the verifier asks it before any signature work on a header it has no verdict for, so no client
/// address can make the gateway verify more than its budget a minute, however it spells or varies headers.
/// </summary>
public interface IVerificationBudget
{
    /// <summary>
    /// Charges one first-seen signature check to <paramref name="client"/>. False when the client's
    /// budget for this minute is spent; <paramref name="retryAfter"/> then says when it refills.
    /// </summary>
    bool TryCharge(string client, out TimeSpan retryAfter);
}
