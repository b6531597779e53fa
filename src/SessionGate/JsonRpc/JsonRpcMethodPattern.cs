namespace SessionGate.JsonRpc;

/// <summary>
/// A method pattern of the JSON-RPC configuration: an exact method name (<c>eth_call</c>) or a prefix
/// ending in one <c>*</c> (<c>eth_get*</c>; <c>*</c> alone matches every method). Names are compared
/// ordinally (JSON-RPC method names are case-sensitive).
/// </summary>
internal static class JsonRpcMethodPattern
{
    /// <summary>Longest pattern, and longest method name the gateway meters (longer names are invalid calls).</summary>
    public const int MaxLength = 256;

    /// <summary>The wildcard that ends a prefix pattern.</summary>
    public const char Wildcard = '*';

    /// <summary>Why <paramref name="pattern"/> is not a valid pattern, or null when it is.</summary>
    public static string? Problem(string? pattern)
    {
        if (string.IsNullOrEmpty(pattern) || pattern.Length > MaxLength)
        {
            return $"must be 1 to {MaxLength} characters";
        }

        for (int i = 0; i < pattern.Length; i++)
        {
            char c = pattern[i];

            // ',' and '=' separate entries of route metadata lists; whitespace and control characters
            // are never part of a method name a client could send on purpose.
            if (c is <= ' ' or > '~' or ',' or '=' or '"' or '\\')
            {
                return "may hold printable ASCII characters only, without spaces, ',', '=', '\"' or '\\'";
            }

            if (c == Wildcard && i != pattern.Length - 1)
            {
                return "may hold '*' only as its last character (a prefix such as \"eth_get*\")";
            }
        }

        return null;
    }

    /// <summary>True when <paramref name="pattern"/> ends in <see cref="Wildcard"/>.</summary>
    public static bool IsPrefix(string pattern) => pattern.EndsWith(Wildcard);
}
