using System.Globalization;
using System.Text;

namespace SessionGate.Testing.Http;

/// <summary>
/// A strict parser of RFC 9651 (which obsoletes RFC 8941) structured-field Lists, written from the
/// RFC's parsing algorithm (§4.2) so a test fails on anything a conforming recipient would reject:
/// bare items are Integers (≤ 15 digits), Decimals (≤ 12 integer and 1–3 fraction digits), Strings
/// (printable ASCII, only <c>\"</c> and <c>\\</c> escapes), Tokens, Booleans (<c>?0</c>/<c>?1</c>) and
/// Byte Sequences; keys are lowercase; no trailing comma, no empty member, only SP/HTAB around commas.
/// Inner lists are not used by any SessionGate header and are rejected. Throws
/// <see cref="FormatException"/> on any violation.
/// </summary>
public static class StructuredFieldParser
{
    /// <summary>Parses a List field value (several field lines must be joined with ", " first).</summary>
    public static IReadOnlyList<StructuredItem> ParseList(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var members = new List<StructuredItem>();
        int i = 0;
        SkipSp(text, ref i);   // §4.2 step 2: leading SP discarded
        if (i == text.Length)
        {
            return members;    // an empty list (the field is then normally absent)
        }

        while (true)
        {
            if (text[i] == '(')
            {
                throw new FormatException($"inner list at {i} (not used by SessionGate headers) in {text}");
            }

            object value = ParseBareItem(text, ref i);
            members.Add(new StructuredItem(value, ParseParameters(text, ref i)));
            SkipOws(text, ref i);
            if (i == text.Length)
            {
                return members;
            }

            Expect(text, ref i, ',');
            SkipOws(text, ref i);
            if (i == text.Length)
            {
                throw new FormatException($"trailing comma in {text}");
            }
        }
    }

    private static Dictionary<string, object> ParseParameters(string text, ref int i)
    {
        var parameters = new Dictionary<string, object>(StringComparer.Ordinal);
        while (i < text.Length && text[i] == ';')
        {
            i++;
            SkipSp(text, ref i);
            string key = ParseKey(text, ref i);
            object value = true;
            if (i < text.Length && text[i] == '=')
            {
                i++;
                value = ParseBareItem(text, ref i);
            }

            // RFC 9651: a duplicate key overwrites; SessionGate never sends one, so a test treats it as an error.
            if (!parameters.TryAdd(key, value))
            {
                throw new FormatException($"duplicate parameter {key} in {text}");
            }
        }

        return parameters;
    }

    private static object ParseBareItem(string text, ref int i)
    {
        if (i >= text.Length)
        {
            throw new FormatException($"missing item at end of {text}");
        }

        char c = text[i];
        return c switch
        {
            '"' => ParseString(text, ref i),
            '?' => ParseBoolean(text, ref i),
            ':' => ParseByteSequence(text, ref i),
            _ when c == '-' || char.IsAsciiDigit(c) => ParseNumber(text, ref i),
            _ when char.IsAsciiLetter(c) || c == '*' => ParseToken(text, ref i),
            _ => throw new FormatException($"unexpected '{c}' at {i} in {text}"),
        };
    }

    private static string ParseString(string text, ref int i)
    {
        Expect(text, ref i, '"');
        var value = new StringBuilder();
        while (true)
        {
            if (i >= text.Length)
            {
                throw new FormatException($"unterminated string in {text}");
            }

            char c = text[i++];
            if (c == '"')
            {
                return value.ToString();
            }

            if (c == '\\')
            {
                if (i >= text.Length || text[i] is not ('"' or '\\'))
                {
                    throw new FormatException($"bad escape at {i} in {text}");
                }

                c = text[i++];
            }
            else if (c is < ' ' or > '~')
            {
                throw new FormatException($"non-printable character in string in {text}");
            }

            value.Append(c);
        }
    }

    private static StructuredToken ParseToken(string text, ref int i)
    {
        int start = i++;
        while (i < text.Length && IsTokenChar(text[i]))
        {
            i++;
        }

        return new StructuredToken(text[start..i]);
    }

    private static bool ParseBoolean(string text, ref int i)
    {
        Expect(text, ref i, '?');
        if (i < text.Length && text[i] is '0' or '1')
        {
            return text[i++] == '1';
        }

        throw new FormatException($"bad boolean at {i} in {text}");
    }

    private static byte[] ParseByteSequence(string text, ref int i)
    {
        Expect(text, ref i, ':');
        int end = text.IndexOf(':', i);
        if (end < 0)
        {
            throw new FormatException($"unterminated byte sequence in {text}");
        }

        string base64 = text[i..end];
        i = end + 1;
        try
        {
            return Convert.FromBase64String(base64);
        }
        catch (FormatException e)
        {
            throw new FormatException($"bad base64 in byte sequence in {text}", e);
        }
    }

    private static object ParseNumber(string text, ref int i)
    {
        int start = i;
        if (text[i] == '-')
        {
            i++;
        }

        if (i >= text.Length || !char.IsAsciiDigit(text[i]))
        {
            throw new FormatException($"bad number at {start} in {text}");
        }

        int digitsStart = i;
        while (i < text.Length && char.IsAsciiDigit(text[i]))
        {
            i++;
        }

        if (i < text.Length && text[i] == '.')
        {
            int integerDigits = i - digitsStart;
            i++;
            int fractionStart = i;
            while (i < text.Length && char.IsAsciiDigit(text[i]))
            {
                i++;
            }

            int fractionDigits = i - fractionStart;
            if (integerDigits > 12 || fractionDigits is 0 or > 3)
            {
                throw new FormatException($"bad decimal at {start} in {text}");
            }

            return decimal.Parse(text[start..i], NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture);
        }

        if (i - digitsStart > 15)
        {
            throw new FormatException($"integer of more than 15 digits at {start} in {text}");
        }

        return long.Parse(text[start..i], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
    }

    private static string ParseKey(string text, ref int i)
    {
        int start = i;
        if (i >= text.Length || !(char.IsAsciiLetterLower(text[i]) || text[i] == '*'))
        {
            throw new FormatException($"bad key at {i} in {text}");
        }

        while (i < text.Length && (char.IsAsciiLetterLower(text[i]) || char.IsAsciiDigit(text[i]) || text[i] is '_' or '-' or '.' or '*'))
        {
            i++;
        }

        return text[start..i];
    }

    // tchar (RFC 9110) plus ':' and '/'.
    private static bool IsTokenChar(char c) =>
        char.IsAsciiLetterOrDigit(c) || c is '!' or '#' or '$' or '%' or '&' or '\'' or '*' or '+' or '-' or '.' or '^' or '_' or '`' or '|' or '~' or ':' or '/';

    private static void Expect(string text, ref int i, char c)
    {
        if (i >= text.Length || text[i] != c)
        {
            throw new FormatException($"expected '{c}' at {i} in {text}");
        }

        i++;
    }

    private static void SkipSp(string text, ref int i)
    {
        while (i < text.Length && text[i] == ' ')
        {
            i++;
        }
    }

    private static void SkipOws(string text, ref int i)
    {
        while (i < text.Length && text[i] is ' ' or '\t')
        {
            i++;
        }
    }
}

/// <summary>A List member: a bare item (string, <see cref="StructuredToken"/>, long, decimal, bool, byte[]) and its parameters.</summary>
public sealed record StructuredItem(object Value, IReadOnlyDictionary<string, object> Parameters)
{
    /// <summary>The item as an sf-string (the RateLimit headers name their policies with strings).</summary>
    public string Name => Value as string ?? throw new FormatException($"item {Value} is not a string");

    /// <summary>The Integer parameter <paramref name="key"/>.</summary>
    public long Integer(string key) => Parameters.TryGetValue(key, out object? value)
        ? value as long? ?? throw new FormatException($"parameter {key} is {value}, not an integer")
        : throw new KeyNotFoundException($"no parameter {key}");
}

/// <summary>An sf-token (unquoted), distinct from a string.</summary>
public sealed record StructuredToken(string Text);
