namespace SessionGate.Protocol;

/// <summary>Account addresses: bech32 with the configured prefix and a 20-byte payload (KIRA: 43 characters).</summary>
public static class AccountAddress
{
    /// <summary>Payload size of an account address (a Cosmos secp256k1 account).</summary>
    public const int PayloadSize = 20;

    /// <summary>
    /// Validates <paramref name="text"/> as an account of <paramref name="prefix"/> and returns its
    /// canonical (lowercase) form. Never throws on bad input.
    /// </summary>
    public static bool TryNormalize(ReadOnlySpan<char> text, string prefix, out string normalized)
    {
        normalized = "";
        if (!Bech32.TryDecode(text, out string hrp, out byte[] payload)
            || !string.Equals(hrp, prefix, StringComparison.OrdinalIgnoreCase)
            || payload.Length != PayloadSize)
        {
            return false;
        }

        normalized = text.ToString().ToLowerInvariant();
        return true;
    }

    /// <summary>
    /// Validates an account given as UTF-8 bytes (what <see cref="TryNormalize"/> accepts) and writes its
    /// 20-byte payload, without allocating: the verdict cache's canonical form of an account.
    /// </summary>
    public static bool TryDecode(ReadOnlySpan<byte> utf8, string prefix, Span<byte> payload)
    {
        if (utf8.Length > Bech32.MaxLength || payload.Length != PayloadSize)
        {
            return false;
        }

        Span<char> text = stackalloc char[utf8.Length];
        for (int i = 0; i < utf8.Length; i++)
        {
            text[i] = (char)utf8[i];
        }

        return Bech32.TryDecode(text, prefix, payload);
    }

    /// <summary>Encodes a 20-byte account payload as an address of <paramref name="prefix"/>.</summary>
    public static string Encode(string prefix, ReadOnlySpan<byte> payload)
    {
        if (payload.Length != PayloadSize)
        {
            throw new ArgumentException($"An account payload is {PayloadSize} bytes.", nameof(payload));
        }

        return Bech32.Encode(prefix, payload);
    }
}
