using System.Text;

namespace SessionGate.Grants;

/// <summary>
/// Decides whether a wallet-signed grant or revocation may be applied: the message is exactly as
/// docs/grants.md specifies, names this gateway's domain and chain, is fresh, uses an allowed use
/// case and lifetime, and carries an ADR-036 signature by the key that hashes to its account. The
/// cheap checks run first; the secp256k1 verification last. Stateless and thread-safe.
/// </summary>
public sealed class GrantVerifier
{
    private readonly GrantPolicy _policy;
    private readonly TimeProvider _time;

    /// <summary>Creates the verifier.</summary>
    public GrantVerifier(GrantPolicy policy, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(policy);
        ArgumentNullException.ThrowIfNull(time);
        _policy = policy;
        _time = time;
    }

    /// <summary>The rules in force.</summary>
    public GrantPolicy Policy => _policy;

    /// <summary>
    /// Verifies <paramref name="messageText"/> of <paramref name="kind"/> signed by
    /// <paramref name="publicKey"/> (33-byte compressed secp256k1) with <paramref name="signature"/>
    /// (64 bytes r||s) for chain <paramref name="chainId"/>. <paramref name="bodyErrors"/> are the
    /// problems the caller already found in the rest of the request; they are reported with the
    /// message's own. Never throws on bad input.
    /// </summary>
    public GrantVerification Verify(
        GrantMessageKind kind,
        string messageText,
        ReadOnlySpan<byte> publicKey,
        ReadOnlySpan<byte> signature,
        string chainId,
        IReadOnlyDictionary<string, IReadOnlyList<string>>? bodyErrors = null)
    {
        ArgumentNullException.ThrowIfNull(messageText);
        ArgumentNullException.ThrowIfNull(chainId);
        var errors = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        if (bodyErrors is not null)
        {
            foreach (KeyValuePair<string, IReadOnlyList<string>> pair in bodyErrors)
            {
                errors[pair.Key] = pair.Value;
            }
        }

        if (!GrantMessageParser.TryParse(messageText, kind, _policy.AddressPrefix, out GrantMessage? message, out IReadOnlyList<string> messageErrors))
        {
            errors["message"] = messageErrors;
        }

        if (!errors.ContainsKey("signature.pub_key.value") && !CosmosSecp256k1.IsValidCompressedPublicKey(publicKey))
        {
            errors["signature.pub_key.value"] = ["Must be the base64 of a 33-byte compressed secp256k1 public key (02 or 03 prefix, on the curve)."];
        }

        if (!errors.ContainsKey("signature.signature") && signature.Length != CosmosSecp256k1.SignatureSize)
        {
            errors["signature.signature"] = ["Must be the base64 of a 64-byte r||s signature."];
        }

        if (errors.Count > 0 || message is null)
        {
            return new GrantVerification
            {
                Error = GrantError.Malformed,
                Detail = errors.Count == 1 ? "1 part of the request is invalid." : $"{errors.Count} parts of the request are invalid.",
                Errors = errors,
            };
        }

        GrantError rule = CheckRules(message, chainId, out string? detail);
        if (rule != GrantError.None)
        {
            return GrantVerification.Refused(rule, detail!);
        }

        if (!string.Equals(CosmosSecp256k1.AccountAddressOf(publicKey, _policy.AddressPrefix), message.Account, StringComparison.Ordinal))
        {
            return GrantVerification.Refused(GrantError.SignerMismatch, "signature.pub_key does not hash to the message's account.");
        }

        byte[] signDoc = Adr036SignDoc.Create(Encoding.UTF8.GetBytes(messageText), message.Account);
        if (!CosmosSecp256k1.Verify(publicKey, signDoc, signature))
        {
            return GrantVerification.Refused(GrantError.SignatureInvalid, "The ADR-036 signature does not verify for this message and key (low-S required).");
        }

        return new GrantVerification { Error = GrantError.None, Message = message };
    }

    private GrantError CheckRules(GrantMessage message, string chainId, out string? detail)
    {
        if (!string.Equals(message.Domain, _policy.Domain, StringComparison.Ordinal))
        {
            detail = $"The message is for \"{message.Domain}\"; this gateway is \"{_policy.Domain}\".";
            return GrantError.WrongDomain;
        }

        if (!string.Equals(message.ChainId, chainId, StringComparison.Ordinal))
        {
            detail = $"The message is for chain \"{message.ChainId}\"; this gateway follows \"{chainId}\".";
            return GrantError.WrongChain;
        }

        if (message.Kind == GrantMessageKind.Grant && !_policy.UseCases.Contains(message.UseCase, StringComparer.Ordinal))
        {
            detail = $"Use Case \"{message.UseCase}\" is not accepted; accepted: {string.Join(", ", _policy.UseCases)}.";
            return GrantError.UseCaseNotAllowed;
        }

        DateTimeOffset now = _time.GetUtcNow();
        if (message.IssuedAt > now + _policy.ClockSkew)
        {
            detail = "Issued At is in the future (beyond the allowed clock skew).";
            return GrantError.NotYetValid;
        }

        if (message.IssuedAt < now - _policy.ClockSkew)
        {
            detail = $"Issued At is more than {_policy.ClockSkew} ago; sign a new message.";
            return GrantError.Expired;
        }

        if (message.Kind == GrantMessageKind.Grant)
        {
            if (message.ExpirationTime <= now)
            {
                detail = "Expiration Time has passed.";
                return GrantError.Expired;
            }

            if (message.ExpirationTime - message.IssuedAt > _policy.MaxLifetime)
            {
                detail = $"Expiration Time is more than {_policy.MaxLifetime.TotalDays:0.##} days after Issued At.";
                return GrantError.LifetimeTooLong;
            }
        }

        detail = null;
        return GrantError.None;
    }
}
