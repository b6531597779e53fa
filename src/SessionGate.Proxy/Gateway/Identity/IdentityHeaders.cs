namespace SessionGate.Proxy.Gateway.Identity;

/// <summary>
/// The headers in which the gateway tells upstreams who is calling. The gateway owns the whole
/// <c>X-SessionGate-</c> namespace: any such header a client sends is removed before forwarding.
/// </summary>
internal static class IdentityHeaders
{
    /// <summary>The verified account (lowercase bech32), from the <c>account</c> claim.</summary>
    public const string Account = "X-SessionGate-Account";

    /// <summary>The session key that signed (<c>0x</c> + lowercase hex), from the <c>session_key</c> claim.</summary>
    public const string Key = "X-SessionGate-Key";

    /// <summary>
    /// The caller's rate-limit tier, from the <c>tier</c> claim. Sent only when the claim is present:
    /// the rate-limiting stage adds it; until then this header is never sent.
    /// </summary>
    public const string Tier = "X-SessionGate-Tier";

    /// <summary>Normalized form of the owned prefix (see <see cref="Normalize"/>).</summary>
    public const string OwnedPrefix = "x-sessiongate-";

    /// <summary>
    /// Lowercase with '_' read as '-': many servers (CGI, PHP, Rails, Django) map
    /// <c>X_SessionGate_Account</c> and <c>X-SessionGate-Account</c> to the same variable, so a look-alike
    /// with underscores must be stripped as well, or a client could forge an identity.
    /// </summary>
    public static string Normalize(string headerName) => headerName.Replace('_', '-').ToLowerInvariant();

    /// <summary>True when a client-sent header must never reach the upstream.</summary>
    public static bool IsOwned(string headerName) =>
        headerName.Length >= OwnedPrefix.Length && NormalizedStartsWith(headerName, OwnedPrefix);

    /// <summary>
    /// <c>Normalize(headerName) == normalized</c>, without allocating: it runs for every header of every
    /// proxied request.
    /// </summary>
    public static bool NormalizesTo(string headerName, string normalized) =>
        headerName.Length == normalized.Length && NormalizedStartsWith(headerName, normalized);

    // Char by char as Normalize does it ('_' read as '-', then invariant lowercase).
    private static bool NormalizedStartsWith(string headerName, string normalizedPrefix)
    {
        for (int i = 0; i < normalizedPrefix.Length; i++)
        {
            char c = headerName[i];
            if ((c == '_' ? '-' : char.ToLowerInvariant(c)) != normalizedPrefix[i])
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>A claim value safe to send as a header value (visible ASCII and spaces only).</summary>
    public static bool IsSafeValue(string? value) =>
        !string.IsNullOrEmpty(value) && value.Length <= 256 && value.All(c => c is >= ' ' and <= '~');
}
