using SessionGate.Keys;

namespace SessionGate.Grants;

/// <summary>
/// Applies verified grants and revocations to the signer-key directory. Revocation is permanent, and
/// a grant never changes a key that exists: the same grant again is answered as already applied, any
/// other grant for a live key is refused (<c>key_already_granted</c>), so a replayed or older grant
/// can never re-enable, extend or re-scope a key. Store failures propagate as
/// <see cref="Storage.StoreUnavailableException"/> (or the store's own exception) to the caller.
/// </summary>
public sealed class GrantRegistrar
{
    private readonly ISignerKeyDirectory _directory;
    private readonly TimeProvider _time;
    private readonly int _maxKeysPerAccount;

    /// <summary>Creates the registrar.</summary>
    public GrantRegistrar(ISignerKeyDirectory directory, TimeProvider time, int maxKeysPerAccount)
    {
        ArgumentNullException.ThrowIfNull(directory);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxKeysPerAccount, 1);
        _directory = directory;
        _time = time;
        _maxKeysPerAccount = maxKeysPerAccount;
    }

    /// <summary>Registers the key of a verified grant.</summary>
    public async Task<GrantResult> ApplyAsync(GrantMessage grant, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(grant);
        if (grant.Kind != GrantMessageKind.Grant)
        {
            throw new ArgumentException("Not a grant message.", nameof(grant));
        }

        var record = new SignerKeyRecord
        {
            PublicKey = grant.SessionKey,
            Account = grant.Account,
            Expires = grant.ExpirationTime,
            UseCase = grant.UseCase,
            Scopes = grant.Scopes,
            Origin = KeyOrigin.Grant,
        };

        SignerKeyRecord? existing = await _directory.FindAsync(grant.SessionKey, cancellationToken).ConfigureAwait(false);
        if (existing is not null)
        {
            return Existing(existing, record);
        }

        // One atomic step in the directory: the live-key count of the account and the insert, so
        // concurrent grants cannot pass the limit together, and a key registered meanwhile is never
        // overwritten with other terms.
        KeyRegistrationResult result = await _directory.RegisterNewAsync(record, _maxKeysPerAccount, cancellationToken).ConfigureAwait(false);
        switch (result)
        {
            case KeyRegistrationResult.Registered:
                SignerKeyRecord? stored = await _directory.FindAsync(grant.SessionKey, cancellationToken).ConfigureAwait(false);
                return new GrantResult(GrantError.None, stored ?? SignerKeyRules.ForRegistration(record, _time.GetUtcNow()), Created: true);
            case KeyRegistrationResult.TooManyKeys:
                return new GrantResult(GrantError.TooManyKeys, null, false);
            case KeyRegistrationResult.OwnedByAnotherAccount:
                return new GrantResult(GrantError.KeyOwnedByAnotherAccount, null, false);
            case KeyRegistrationResult.KeyDisabled:
                return new GrantResult(GrantError.KeyDisabled, null, false);
            default:
                // Another request registered the key between our look-up and our write: decide as if we had seen it.
                SignerKeyRecord? now = await _directory.FindAsync(grant.SessionKey, cancellationToken).ConfigureAwait(false);
                return now is null ? new GrantResult(GrantError.KeyAlreadyGranted, null, false) : Existing(now, record);
        }
    }

    /// <summary>Permanently disables the key of a verified revocation.</summary>
    public async Task<GrantResult> RevokeAsync(GrantMessage revocation, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(revocation);
        SignerKeyRecord? existing = await _directory.FindAsync(revocation.SessionKey, cancellationToken).ConfigureAwait(false);
        if (existing is null)
        {
            return new GrantResult(GrantError.KeyNotFound, null, false);
        }

        if (!string.Equals(existing.Account, revocation.Account, StringComparison.Ordinal))
        {
            return new GrantResult(GrantError.KeyOwnedByAnotherAccount, null, false);
        }

        if (!existing.Disabled)
        {
            KeyChangeResult change = await _directory.DisableAsync(revocation.SessionKey, cancellationToken).ConfigureAwait(false);
            if (change == KeyChangeResult.NotFound)
            {
                return new GrantResult(GrantError.KeyNotFound, null, false);
            }
        }

        SignerKeyRecord? stored = await _directory.FindAsync(revocation.SessionKey, cancellationToken).ConfigureAwait(false);
        return new GrantResult(GrantError.None, stored ?? existing with { Disabled = true }, Created: false);
    }

    private static GrantResult Existing(SignerKeyRecord existing, SignerKeyRecord wanted)
    {
        if (!string.Equals(existing.Account, wanted.Account, StringComparison.Ordinal))
        {
            return new GrantResult(GrantError.KeyOwnedByAnotherAccount, null, false);
        }

        if (existing.Disabled)
        {
            return new GrantResult(GrantError.KeyDisabled, null, false);
        }

        return SameTerms(existing, wanted)
            ? new GrantResult(GrantError.None, existing, Created: false)
            : new GrantResult(GrantError.KeyAlreadyGranted, null, false);
    }

    private static bool SameTerms(SignerKeyRecord existing, SignerKeyRecord wanted) =>
        existing.Expires == SignerKeyRules.TruncateToMilliseconds(wanted.Expires)
        && string.Equals(existing.UseCase, wanted.UseCase, StringComparison.Ordinal)
        && existing.Scopes.Count == wanted.Scopes.Count
        && existing.Scopes.Zip(wanted.Scopes).All(p => p.First.SameAs(p.Second));
}

/// <summary>The outcome of a grant or revocation.</summary>
/// <param name="Error"><see cref="GrantError.None"/> on success.</param>
/// <param name="Record">The key as stored, on success.</param>
/// <param name="Created">True when a new key was registered (201), false when it already was (200).</param>
public sealed record GrantResult(GrantError Error, SignerKeyRecord? Record, bool Created);
