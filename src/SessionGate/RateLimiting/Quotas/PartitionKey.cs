using System.Runtime.InteropServices;
using System.Security.Cryptography;

namespace SessionGate.RateLimiting.Quotas;

/// <summary>
/// Bounds partition strings, which come from clients (account, IP address), before they become
/// in-memory keys or Redis key names: a short plain printable-ASCII partition is used as it is; anything
/// longer, or with characters that could confuse a Redis Cluster hash tag (<c>{</c>, <c>}</c>), spaces
/// or non-ASCII, becomes <c>#</c> + the hex SHA-256 of its UTF-16 code units (lossless, 65 characters).
/// Plain partitions never start with <c>#</c>, so the two forms cannot collide.
/// </summary>
internal static class PartitionKey
{
    /// <summary>Longest partition used as it is. An <c>acct:</c> + bech32 address or <c>ip:</c> + IPv6 text is far shorter.</summary>
    public const int MaxPlainLength = 100;

    /// <summary>The partition of an authenticated account: every caller (limiter, admin API) names it this way.</summary>
    public static string ForAccount(string account) => AccountPrefix + account;

    private const string AccountPrefix = "acct:";

    /// <summary>The partition of an anonymous client address.</summary>
    public static string ForAddress(string address) => AddressPrefix + address;

    private const string AddressPrefix = "ip:";

    /// <summary>The client address of a <see cref="ForAddress"/> partition, or null for any other partition.</summary>
    public static string? AddressOf(string partition) =>
        partition.StartsWith(AddressPrefix, StringComparison.Ordinal) ? partition[AddressPrefix.Length..] : null;

    /// <summary>The account of a <see cref="ForAccount"/> partition, or null for an address partition.</summary>
    public static string? AccountOf(string partition) =>
        partition.StartsWith(AccountPrefix, StringComparison.Ordinal) ? partition[AccountPrefix.Length..] : null;

    /// <summary>The bounded form of <paramref name="partition"/>.</summary>
    /// <exception cref="ArgumentException"><paramref name="partition"/> is null or empty.</exception>
    public static string Normalize(string partition)
    {
        ArgumentException.ThrowIfNullOrEmpty(partition);
        return IsPlain(partition) ? partition : Hash(partition);
    }

    private static bool IsPlain(string partition)
    {
        if (partition.Length > MaxPlainLength || partition[0] == '#')
        {
            return false;
        }

        foreach (char c in partition)
        {
            if (c is <= ' ' or > '~' or '{' or '}')
            {
                return false;
            }
        }

        return true;
    }

    private static string Hash(string partition)
    {
        Span<byte> digest = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(MemoryMarshal.AsBytes(partition.AsSpan()), digest);
        return "#" + Convert.ToHexStringLower(digest);
    }
}
