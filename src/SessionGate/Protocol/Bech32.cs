// Bech32 (BIP-173), the address format of Cosmos-SDK chains such as KIRA (prefix "kira").
// Only the original bech32 checksum (constant 1) is accepted: Cosmos addresses do not use bech32m.
namespace SessionGate.Protocol;

/// <summary>Bech32 encoding and strict decoding. Decoding never throws on bad input.</summary>
public static class Bech32
{
    /// <summary>BIP-173 maximum length of a bech32 string.</summary>
    public const int MaxLength = 90;

    private const string Charset = "qpzry9x8gf2tvdw0s3jn54khce6mua7l";
    // Charset position of each ASCII character, either case (-1: not in the charset).
    private static readonly sbyte[] CharsetIndex = BuildCharsetIndex();

    private static readonly uint[] Generator = [0x3b6a57b2, 0x26508e6d, 0x1ea119fa, 0x3d4233dd, 0x2a1462b3];

    /// <summary>Decodes a bech32 string into its human-readable part (lowercase) and payload bytes.</summary>
    public static bool TryDecode(ReadOnlySpan<char> text, out string humanReadablePart, out byte[] data)
    {
        humanReadablePart = "";
        data = [];
        if (!TrySplit(text, out int separator))
        {
            return false;
        }

        Span<byte> payload = stackalloc byte[MaxLength];
        if (!TryDecodeParts(text, separator, payload, out int written))
        {
            return false;
        }

        humanReadablePart = text[..separator].ToString().ToLowerInvariant();
        data = payload[..written].ToArray();
        return true;
    }

    /// <summary>
    /// Decodes a bech32 string whose human-readable part is <paramref name="expectedPrefix"/> (either case)
    /// and whose payload is exactly <paramref name="payload"/>.Length bytes, writing it there. Allocates nothing.
    /// </summary>
    public static bool TryDecode(ReadOnlySpan<char> text, string expectedPrefix, Span<byte> payload)
    {
        if (!TrySplit(text, out int separator) || !text[..separator].Equals(expectedPrefix, StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        Span<byte> decoded = stackalloc byte[MaxLength];
        if (!TryDecodeParts(text, separator, decoded, out int written) || written != payload.Length)
        {
            return false;
        }

        decoded[..written].CopyTo(payload);
        return true;
    }

    private static sbyte[] BuildCharsetIndex()
    {
        var index = new sbyte[128];
        Array.Fill(index, (sbyte)-1);
        for (int i = 0; i < Charset.Length; i++)
        {
            index[Charset[i]] = (sbyte)i;
            index[char.ToUpperInvariant(Charset[i])] = (sbyte)i;
        }

        return index;
    }

    // Length, character set and single case; the separator is the last '1'.
    private static bool TrySplit(ReadOnlySpan<char> text, out int separator)
    {
        separator = -1;
        if (text.Length < 8 || text.Length > MaxLength)
        {
            return false;
        }

        bool hasLower = false, hasUpper = false;
        foreach (char c in text)
        {
            if (c < 33 || c > 126)
            {
                return false;
            }

            hasLower |= c is >= 'a' and <= 'z';
            hasUpper |= c is >= 'A' and <= 'Z';
        }

        if (hasLower && hasUpper)
        {
            return false;
        }

        separator = text.LastIndexOf('1');
        return separator >= 1 && separator + 7 <= text.Length;
    }

    private static bool TryDecodeParts(ReadOnlySpan<char> text, int separator, Span<byte> payload, out int written)
    {
        written = 0;
        Span<char> hrp = stackalloc char[separator];
        text[..separator].ToLowerInvariant(hrp);

        ReadOnlySpan<char> dataPart = text[(separator + 1)..];
        Span<byte> values = stackalloc byte[dataPart.Length];
        for (int i = 0; i < dataPart.Length; i++)
        {
            // TrySplit checked 33-126; a table instead of a search: this runs on every request.
            sbyte index = CharsetIndex[dataPart[i]];
            if (index < 0)
            {
                return false;
            }

            values[i] = (byte)index;
        }

        return Checksum(hrp, values) == 1 && TryConvertBits(values[..^6], payload, out written);
    }

    /// <summary>Encodes <paramref name="data"/> under a lowercase human-readable part.</summary>
    public static string Encode(string humanReadablePart, ReadOnlySpan<byte> data)
    {
        ArgumentException.ThrowIfNullOrEmpty(humanReadablePart);
        string hrp = humanReadablePart.ToLowerInvariant();
        if (!TryConvertBits(data, fromBits: 8, toBits: 5, pad: true, out byte[] values))
        {
            throw new ArgumentException("Data cannot be encoded.", nameof(data));
        }

        Span<byte> withChecksum = stackalloc byte[values.Length + 6];
        values.CopyTo(withChecksum);
        uint polymod = Checksum(hrp, withChecksum) ^ 1;
        for (int i = 0; i < 6; i++)
        {
            withChecksum[values.Length + i] = (byte)((polymod >> (5 * (5 - i))) & 31);
        }

        var builder = new System.Text.StringBuilder(hrp.Length + 1 + withChecksum.Length);
        builder.Append(hrp).Append('1');
        foreach (byte v in withChecksum)
        {
            builder.Append(Charset[v]);
        }

        string result = builder.ToString();
        return result.Length <= MaxLength ? result : throw new ArgumentException("The address would exceed 90 characters.", nameof(data));
    }

    // Polymod over the expanded human-readable part followed by the values (BIP-173).
    private static uint Checksum(ReadOnlySpan<char> hrp, ReadOnlySpan<byte> values)
    {
        uint chk = 1;
        foreach (char c in hrp)
        {
            chk = Step(chk, (byte)(c >> 5));
        }

        chk = Step(chk, 0);
        foreach (char c in hrp)
        {
            chk = Step(chk, (byte)(c & 31));
        }

        foreach (byte v in values)
        {
            chk = Step(chk, v);
        }

        return chk;
    }

    private static uint Step(uint chk, byte value)
    {
        uint top = chk >> 25;
        chk = ((chk & 0x1ffffff) << 5) ^ value;
        for (int i = 0; i < 5; i++)
        {
            if (((top >> i) & 1) != 0)
            {
                chk ^= Generator[i];
            }
        }

        return chk;
    }

    // 5-bit groups to bytes, strict (no leftover bits but zero padding), into a span.
    private static bool TryConvertBits(ReadOnlySpan<byte> input, Span<byte> output, out int written)
    {
        written = 0;
        int accumulator = 0, bits = 0;
        foreach (byte value in input)
        {
            if (value >> 5 != 0)
            {
                return false;
            }

            accumulator = ((accumulator << 5) | value) & 0xfff;
            bits += 5;
            if (bits >= 8)
            {
                bits -= 8;
                if (written == output.Length)
                {
                    return false;
                }

                output[written++] = (byte)((accumulator >> bits) & 0xff);
            }
        }

        return bits < 5 && ((accumulator << (8 - bits)) & 0xff) == 0;
    }

    private static bool TryConvertBits(ReadOnlySpan<byte> input, int fromBits, int toBits, bool pad, out byte[] output)
    {
        var result = new List<byte>((input.Length * fromBits / toBits) + 1);
        int accumulator = 0, bits = 0;
        int maxValue = (1 << toBits) - 1;
        foreach (byte value in input)
        {
            if (value >> fromBits != 0)
            {
                output = [];
                return false;
            }

            accumulator = (accumulator << fromBits) | value;
            bits += fromBits;
            while (bits >= toBits)
            {
                bits -= toBits;
                result.Add((byte)((accumulator >> bits) & maxValue));
            }
        }

        if (pad)
        {
            if (bits > 0)
            {
                result.Add((byte)((accumulator << (toBits - bits)) & maxValue));
            }
        }
        else if (bits >= fromBits || ((accumulator << (toBits - bits)) & maxValue) != 0)
        {
            output = [];
            return false;
        }

        output = [.. result];
        return true;
    }
}
