namespace SessionGate.Grants;

/// <summary>Why a wallet-signed grant or revocation was refused (docs/grants.md, docs/protocol.md).</summary>
public enum GrantError
{
    /// <summary>No error.</summary>
    None = 0,

    /// <summary>400 <c>grant_malformed</c>: the body or the message is not exactly as specified; every problem is listed in <c>errors</c>.</summary>
    Malformed,

    /// <summary>400 <c>grant_wrong_domain</c>: the message names another domain than <c>SessionGate:Grants:Domain</c>.</summary>
    WrongDomain,

    /// <summary>400 <c>grant_wrong_chain</c>: the message names another chain than the one the gateway follows.</summary>
    WrongChain,

    /// <summary>400 <c>grant_expired</c>: issued too long ago, or its expiration time has passed.</summary>
    Expired,

    /// <summary>400 <c>grant_not_yet_valid</c>: issued in the future (beyond the clock skew).</summary>
    NotYetValid,

    /// <summary>400 <c>grant_lifetime_too_long</c>: expires more than <c>MaxLifetime</c> after it was issued.</summary>
    LifetimeTooLong,

    /// <summary>400 <c>grant_use_case_not_allowed</c>: the use case is not in <c>SessionGate:Grants:UseCases</c>.</summary>
    UseCaseNotAllowed,

    /// <summary>401 <c>grant_signer_mismatch</c>: the signing key does not hash to the message's account.</summary>
    SignerMismatch,

    /// <summary>401 <c>grant_signature_invalid</c>: the ADR-036 signature does not verify (or is high-S).</summary>
    SignatureInvalid,

    /// <summary>404 <c>key_not_found</c>: a revocation names a key that is not registered.</summary>
    KeyNotFound,

    /// <summary>409 <c>key_owned_by_another_account</c>.</summary>
    KeyOwnedByAnotherAccount,

    /// <summary>409 <c>key_disabled</c>: the key was disabled, which is permanent.</summary>
    KeyDisabled,

    /// <summary>409 <c>key_already_granted</c>: the key is live with other expiry, use case or scopes; grants never change a key.</summary>
    KeyAlreadyGranted,

    /// <summary>409 <c>too_many_keys</c>: the account already has <c>MaxKeysPerAccount</c> live keys.</summary>
    TooManyKeys,
}

/// <summary>The HTTP status, stable code and title of every <see cref="GrantError"/>.</summary>
public static class GrantErrors
{
    private static readonly Dictionary<GrantError, GrantErrorDescription> Descriptions = new()
    {
        [GrantError.Malformed] = new(400, "grant_malformed", "Malformed grant"),
        [GrantError.WrongDomain] = new(400, "grant_wrong_domain", "Grant for another domain"),
        [GrantError.WrongChain] = new(400, "grant_wrong_chain", "Grant for another chain"),
        [GrantError.Expired] = new(400, "grant_expired", "Grant expired"),
        [GrantError.NotYetValid] = new(400, "grant_not_yet_valid", "Grant not yet valid"),
        [GrantError.LifetimeTooLong] = new(400, "grant_lifetime_too_long", "Grant lifetime too long"),
        [GrantError.UseCaseNotAllowed] = new(400, "grant_use_case_not_allowed", "Use case not allowed"),
        [GrantError.SignerMismatch] = new(401, "grant_signer_mismatch", "Grant signed by another key than the account's"),
        [GrantError.SignatureInvalid] = new(401, "grant_signature_invalid", "Invalid grant signature"),
        [GrantError.KeyNotFound] = new(404, "key_not_found", "No such key"),
        [GrantError.KeyOwnedByAnotherAccount] = new(409, "key_owned_by_another_account", "The key belongs to another account"),
        [GrantError.KeyDisabled] = new(409, "key_disabled", "The key is disabled"),
        [GrantError.KeyAlreadyGranted] = new(409, "key_already_granted", "The key was granted with other terms"),
        [GrantError.TooManyKeys] = new(409, "too_many_keys", "Too many live keys for this account"),
    };

    /// <summary>The description of <paramref name="error"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">For <see cref="GrantError.None"/>.</exception>
    public static GrantErrorDescription Describe(GrantError error) =>
        Descriptions.TryGetValue(error, out GrantErrorDescription? description)
            ? description
            : throw new ArgumentOutOfRangeException(nameof(error), error, "No description for this value.");

    /// <summary>Every error with its description.</summary>
    public static IReadOnlyDictionary<GrantError, GrantErrorDescription> All => Descriptions;
}

/// <summary>HTTP status, stable code (the problem's <c>code</c> member) and title.</summary>
/// <param name="Status">HTTP status code.</param>
/// <param name="Code">Stable machine-readable code.</param>
/// <param name="Title">Short human-readable summary.</param>
public sealed record GrantErrorDescription(int Status, string Code, string Title);
