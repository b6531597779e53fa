using SessionGate.Protocol;

namespace SessionGate.Keys;

/// <summary>
/// The signer-key directory (KIP_4): public key → owning account, expiry, use case, scopes, disabled.
/// One public key belongs to at most one account, enforced atomically (across instances on Redis).
/// Disabling is permanent. Every instance honours a change within one second, including requests
/// whose verdicts were cached.
/// </summary>
public interface ISignerKeyDirectory
{
    /// <summary>
    /// The current record of <paramref name="publicKey"/>, or null when unknown. On the request hot
    /// path: implementations answer from a local cache that change notifications keep current.
    /// </summary>
    ValueTask<SignerKeyRecord?> FindAsync(Bytes32 publicKey, CancellationToken cancellationToken = default);

    /// <summary>Registers a key, or updates expiry, use case and scopes of a key the same account already owns.</summary>
    Task<KeyRegistrationResult> RegisterAsync(SignerKeyRecord record, CancellationToken cancellationToken = default);

    /// <summary>
    /// Registers a key that does not exist yet, only if its account then has fewer than
    /// <paramref name="maxLiveKeysPerAccount"/> live (not disabled, not expired) keys. The count and
    /// the write are one atomic step (across instances on Redis), so concurrent registrations for one
    /// account can never exceed the limit. An existing key is never changed: the answer is
    /// <see cref="KeyRegistrationResult.AlreadyRegistered"/> (read it with <see cref="FindAsync"/>), or
    /// <see cref="KeyRegistrationResult.KeyDisabled"/> / <see cref="KeyRegistrationResult.OwnedByAnotherAccount"/>.
    /// </summary>
    Task<KeyRegistrationResult> RegisterNewAsync(SignerKeyRecord record, int maxLiveKeysPerAccount, CancellationToken cancellationToken = default);

    /// <summary>Permanently disables a key.</summary>
    Task<KeyChangeResult> DisableAsync(Bytes32 publicKey, CancellationToken cancellationToken = default);

    /// <summary>Changes the expiry of a key that is not disabled.</summary>
    Task<KeyChangeResult> SetExpiryAsync(Bytes32 publicKey, DateTimeOffset expires, CancellationToken cancellationToken = default);

    /// <summary>The keys of an account, ordered by public key, paged.</summary>
    Task<IReadOnlyList<SignerKeyRecord>> ListByAccountAsync(string account, int offset, int limit, CancellationToken cancellationToken = default);
}

/// <summary>Outcome of <see cref="ISignerKeyDirectory.RegisterAsync"/>.</summary>
public enum KeyRegistrationResult
{
    /// <summary>A new key was registered.</summary>
    Registered = 0,

    /// <summary>The account already owned the key; expiry, use case and scopes were updated.</summary>
    Updated = 1,

    /// <summary>Refused: the key belongs to another account (one key, one account).</summary>
    OwnedByAnotherAccount = 2,

    /// <summary>Refused: the key was disabled, which is permanent.</summary>
    KeyDisabled = 3,

    /// <summary>Only from <c>RegisterNewAsync</c>: the account already owns the key; nothing changed.</summary>
    AlreadyRegistered = 4,

    /// <summary>Only from <c>RegisterNewAsync</c>: the account has the most live keys allowed; nothing changed.</summary>
    TooManyKeys = 5,
}

/// <summary>Outcome of a change to an existing key.</summary>
public enum KeyChangeResult
{
    /// <summary>The change was made.</summary>
    Changed = 0,

    /// <summary>No such key.</summary>
    NotFound = 1,

    /// <summary>The key is disabled (for <c>SetExpiry</c>), or already was (for <c>Disable</c>).</summary>
    KeyDisabled = 2,
}
