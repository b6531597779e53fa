using System.Globalization;

namespace SessionGate.Chain;

/// <summary>
/// Parses the RFC 3339 times Tendermint sends (<c>2024-05-01T12:34:56.123456789Z</c>). .NET keeps at
/// most 7 fractional digits (100 ns ticks) and rejects more, so the fraction is truncated here
/// before parsing. Accepts <c>Z</c> or a numeric offset, either case of <c>T</c>/<c>Z</c>.
/// </summary>
internal static class Rfc3339Timestamp
{
    private const int MaxFractionDigits = 7;
    private const int MaxLength = 64;

    private static readonly string[] Formats =
    [
        "yyyy'-'MM'-'dd'T'HH':'mm':'ssK",
        "yyyy'-'MM'-'dd'T'HH':'mm':'ss'.'FFFFFFFK",
    ];

    /// <summary>Parses <paramref name="text"/>; false for anything that is not an RFC 3339 date-time. Never throws.</summary>
    public static bool TryParse(ReadOnlySpan<char> text, out DateTimeOffset value)
    {
        value = default;
        const int SecondsEnd = 19; // "yyyy-MM-ddTHH:mm:ss"
        if (text.Length <= SecondsEnd || text.Length > MaxLength)
        {
            return false;
        }

        Span<char> buffer = stackalloc char[text.Length];
        text[..SecondsEnd].CopyTo(buffer);
        int length = SecondsEnd;
        if (buffer[10] is 't')
        {
            buffer[10] = 'T';
        }

        int i = SecondsEnd;
        if (text[i] == '.')
        {
            int digits = 0;
            i++;
            while (i < text.Length && char.IsAsciiDigit(text[i]))
            {
                digits++;
                i++;
            }

            if (digits == 0)
            {
                return false;
            }

            int kept = Math.Min(digits, MaxFractionDigits);
            buffer[length++] = '.';
            text.Slice(SecondsEnd + 1, kept).CopyTo(buffer[length..]);
            length += kept;
        }

        ReadOnlySpan<char> zone = text[i..];
        if (zone is "z" or "Z")
        {
            buffer[length++] = 'Z';
        }
        else if (zone.Length == 6 && zone[0] is '+' or '-')
        {
            zone.CopyTo(buffer[length..]);
            length += zone.Length;
        }
        else
        {
            return false;
        }

        return DateTimeOffset.TryParseExact(
            buffer[..length], Formats, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out value);
    }
}
