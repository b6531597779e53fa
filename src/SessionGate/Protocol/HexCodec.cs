namespace SessionGate.Protocol;

/// <summary>Hex as SessionGate's wire formats and tools accept it: optional <c>0x</c>, either case.</summary>
public static class HexCodec
{
    /// <summary>Decodes hex of exactly <paramref name="destination"/>.Length bytes. Never throws on bad input.</summary>
    public static bool TryDecode(ReadOnlySpan<char> text, Span<byte> destination)
    {
        text = StripPrefix(text);
        if (text.Length != destination.Length * 2)
        {
            return false;
        }

        for (int i = 0; i < destination.Length; i++)
        {
            int high = Nibble(text[2 * i]);
            int low = Nibble(text[(2 * i) + 1]);
            if ((high | low) < 0)
            {
                return false;
            }

            destination[i] = (byte)((high << 4) | low);
        }

        return true;
    }

    /// <summary>Decodes hex given as UTF-8 (ASCII) bytes, exactly like the <see cref="TryDecode(ReadOnlySpan{char}, Span{byte})"/> overload.</summary>
    public static bool TryDecode(ReadOnlySpan<byte> utf8, Span<byte> destination)
    {
        if (utf8.Length >= 2 && utf8[0] == (byte)'0' && (utf8[1] == (byte)'x' || utf8[1] == (byte)'X'))
        {
            utf8 = utf8[2..];
        }

        // The framework's vectorized decoder accepts exactly 0-9, a-f, A-F (it runs on every request).
        return utf8.Length == destination.Length * 2
            && Convert.FromHexString(utf8, destination, out _, out int written) == System.Buffers.OperationStatus.Done
            && written == destination.Length;
    }

    /// <summary>Decodes hex of any even length (an empty string is zero bytes). Never throws on bad input.</summary>
    public static bool TryDecode(ReadOnlySpan<char> text, out byte[] bytes)
    {
        ReadOnlySpan<char> digits = StripPrefix(text);
        bytes = [];
        if (digits.Length % 2 != 0)
        {
            return false;
        }

        byte[] result = new byte[digits.Length / 2];
        if (!TryDecode(digits, result))
        {
            return false;
        }

        bytes = result;
        return true;
    }

    /// <summary>Lowercase hex, with a <c>0x</c> prefix when <paramref name="prefix"/> is true.</summary>
    public static string Encode(ReadOnlySpan<byte> bytes, bool prefix = true) =>
        prefix ? "0x" + Convert.ToHexStringLower(bytes) : Convert.ToHexStringLower(bytes);

    private static ReadOnlySpan<char> StripPrefix(ReadOnlySpan<char> text) =>
        text.Length >= 2 && text[0] == '0' && (text[1] == 'x' || text[1] == 'X') ? text[2..] : text;

    private static int Nibble(char c) => c switch
    {
        >= '0' and <= '9' => c - '0',
        >= 'a' and <= 'f' => c - 'a' + 10,
        >= 'A' and <= 'F' => c - 'A' + 10,
        _ => -1,
    };
}
