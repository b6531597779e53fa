using SessionGate.Crypto;
using SessionGate.Protocol;

namespace SessionGate.Keys;

/// <summary>
/// Rules every <see cref="ISignerKeyDirectory"/> implementation applies the same way, so the
/// in-memory and Redis directories cannot drift apart: what a registration may contain, how a stored
/// record is normalized, and how listing is paged.
/// </summary>
internal static class SignerKeyRules
{
    /// <summary>The most records one <see cref="ISignerKeyDirectory.ListByAccountAsync"/> call returns.</summary>
    public const int MaxPageSize = 1000;

    /// <summary>
    /// Validates a record passed to <c>RegisterAsync</c> and returns it as it is stored: account in
    /// lowercase (bech32 is case-insensitive and shown in lowercase), HTTP methods in upper case, times
    /// truncated to whole milliseconds (the Redis form, so both directories return equal records),
    /// <see cref="SignerKeyRecord.Created"/> set to <paramref name="now"/>. A record marked disabled is
    /// refused: disabling goes through <c>DisableAsync</c>, which keeps it permanent.
    /// </summary>
    /// <exception cref="ArgumentException">The record cannot be registered.</exception>
    public static SignerKeyRecord ForRegistration(SignerKeyRecord record, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(record);
        ArgumentException.ThrowIfNullOrWhiteSpace(record.Account, nameof(record));
        if (record.Disabled || record.DisabledAt is not null)
        {
            throw new ArgumentException("A key cannot be registered disabled; register it, then call DisableAsync.", nameof(record));
        }

        if (!string.Equals(record.KeyType, SignerKeyRecord.Sr25519KeyType, StringComparison.Ordinal))
        {
            throw new ArgumentException($"Unsupported key type '{record.KeyType}'; only '{SignerKeyRecord.Sr25519KeyType}' is verified.", nameof(record));
        }

        if (!IsUsablePublicKey(record.PublicKey))
        {
            throw new ArgumentException(InvalidPublicKeyMessage, nameof(record));
        }

        if (!Enum.IsDefined(record.Origin))
        {
            throw new ArgumentException($"Unknown key origin {(int)record.Origin}.", nameof(record));
        }

        ArgumentException.ThrowIfNullOrWhiteSpace(record.UseCase, nameof(record));
        ArgumentNullException.ThrowIfNull(record.Scopes, nameof(record));
        var scopes = new List<KeyScope>(record.Scopes.Count);
        foreach (KeyScope? scope in record.Scopes)
        {
            if (scope is null || string.IsNullOrEmpty(scope.Path) || scope.Methods is null || scope.Methods.Any(string.IsNullOrWhiteSpace))
            {
                throw new ArgumentException("Every scope needs a path and a (possibly empty) list of methods.", nameof(record));
            }

            if (scope.MaxCost is < 1 or > KeyScope.MaxCostLimit)
            {
                throw new ArgumentException($"A scope's maximum cost must be from 1 to {KeyScope.MaxCostLimit} (was {scope.MaxCost}).", nameof(record));
            }

            scopes.Add(new KeyScope(scope.Path, [.. scope.Methods.Select(m => m.ToUpperInvariant())], scope.MaxCost));
        }

        return record with
        {
            Account = NormalizeAccount(record.Account),
            Expires = TruncateToMilliseconds(record.Expires),
            Scopes = scopes,
            Created = TruncateToMilliseconds(now),
        };
    }

    /// <summary>Why <see cref="IsUsablePublicKey"/> refused a key, for error messages.</summary>
    public const string InvalidPublicKeyMessage =
        "The public key is not a valid sr25519 public key: it must be the canonical encoding of a ristretto255 point other than the identity (no signature could ever verify under it).";

    /// <summary>
    /// True when <paramref name="publicKey"/> is a key a header could be verified with: the same check
    /// verification applies (a canonical ristretto255 encoding, not the identity). The directory
    /// refuses anything else, so no path (grant, configuration, admin API, code) can register a key
    /// that is accepted and never usable.
    /// </summary>
    public static bool IsUsablePublicKey(Bytes32 publicKey)
    {
        Span<byte> bytes = stackalloc byte[Bytes32.Size];
        publicKey.CopyTo(bytes);
        return Sr25519.IsValidPublicKey(bytes);
    }

    /// <summary>The account as stored and indexed (lowercase).</summary>
    public static string NormalizeAccount(string account)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(account);
        return account.ToLowerInvariant();
    }

    /// <summary>Validates paging arguments and caps <paramref name="limit"/> at <see cref="MaxPageSize"/>.</summary>
    public static int CheckPage(int offset, int limit)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        return Math.Min(limit, MaxPageSize);
    }

    /// <summary>The instant in UTC, whole milliseconds.</summary>
    public static DateTimeOffset TruncateToMilliseconds(DateTimeOffset value) =>
        DateTimeOffset.FromUnixTimeMilliseconds(value.ToUnixTimeMilliseconds());

    /// <summary>Lowercase hex without prefix: the order of these strings is the order of the keys' bytes.</summary>
    public static string SortKey(Bytes32 publicKey)
    {
        Span<byte> bytes = stackalloc byte[Bytes32.Size];
        publicKey.CopyTo(bytes);
        return Convert.ToHexStringLower(bytes);
    }

    /// <summary>The first 8 hex digits of a key, for logs (never the whole key).</summary>
    public static string ShortForm(Bytes32 publicKey) => "0x" + SortKey(publicKey)[..8] + "…";
}
