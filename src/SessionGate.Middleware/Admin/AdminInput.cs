using System.Globalization;
using SessionGate.Protocol;

namespace SessionGate.AspNetCore.Admin;

/// <summary>Parsers for path segments and query parameters; each failure is reported under the parameter's name.</summary>
internal static class AdminInput
{
    private const int MaxSegmentLength = 256;

    public static Bytes32 PublicKey(string segment)
    {
        if (segment.Length > MaxSegmentLength || !Bytes32.TryParseHex(segment, out Bytes32 key))
        {
            throw ValidationErrors.Single("publicKey", PublicKeyMessage);
        }

        return key;
    }

    public const string PublicKeyMessage = "must be 32 bytes of hex (64 digits, 0x optional)";

    public static string AccountMessage(string prefix) => $"must be a bech32 account with prefix '{prefix}' (checksum verified)";

    public static string Account(string segment, string prefix)
    {
        if (segment.Length > MaxSegmentLength || !AccountAddress.TryNormalize(segment, prefix, out string account))
        {
            throw ValidationErrors.Single("account", AccountMessage(prefix));
        }

        return account;
    }

    /// <summary>An integer query parameter in [<paramref name="min"/>, <paramref name="max"/>], or <paramref name="fallback"/> when absent.</summary>
    public static int QueryInt(Microsoft.AspNetCore.Http.IQueryCollection query, string name, int fallback, int min, int max, ValidationErrors errors)
    {
        if (!query.TryGetValue(name, out Microsoft.Extensions.Primitives.StringValues values))
        {
            return fallback;
        }

        if (values.Count != 1 || values[0] is not { Length: > 0 and <= 12 } text
            || !int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int value) || value < min || value > max)
        {
            errors.Add(name, $"must be an integer from {min} to {max}");
            return fallback;
        }

        return value;
    }
}
