using System.Globalization;
using System.Text;

namespace SessionGate.Middleware.Tests.RateLimiting;

/// <summary>
/// A strict parser for the RFC 8941 List subset the RateLimit headers use: items that are sf-strings
/// with integer parameters (<c>"name";q=10;w=60, "other";r=1;t=2</c>). Throws FormatException on
/// anything else, so tests prove the headers are well-formed structured fields.
/// </summary>
internal static class StructuredFieldList
{
    public static IReadOnlyList<(string Name, IReadOnlyDictionary<string, long> Parameters)> Parse(string text)
    {
        var items = new List<(string, IReadOnlyDictionary<string, long>)>();
        int i = 0;
        SkipSpaces(text, ref i);
        while (true)
        {
            string name = ParseString(text, ref i);
            var parameters = new Dictionary<string, long>(StringComparer.Ordinal);
            while (i < text.Length && text[i] == ';')
            {
                i++;
                string key = ParseKey(text, ref i);
                Expect(text, ref i, '=');
                if (!parameters.TryAdd(key, ParseInteger(text, ref i)))
                {
                    throw new FormatException($"duplicate parameter {key}");
                }
            }

            items.Add((name, parameters));
            SkipSpaces(text, ref i);
            if (i == text.Length)
            {
                return items;
            }

            Expect(text, ref i, ',');
            SkipSpaces(text, ref i);
        }
    }

    private static string ParseString(string text, ref int i)
    {
        Expect(text, ref i, '"');
        var value = new StringBuilder();
        while (i < text.Length && text[i] != '"')
        {
            char c = text[i++];
            if (c == '\\')
            {
                c = text[i++];
                if (c is not ('"' or '\\'))
                {
                    throw new FormatException("bad escape");
                }
            }
            else if (c < ' ' || c > '~')
            {
                throw new FormatException("non-printable character in string");
            }

            value.Append(c);
        }

        Expect(text, ref i, '"');
        return value.ToString();
    }

    private static string ParseKey(string text, ref int i)
    {
        int start = i;
        if (i >= text.Length || !(char.IsAsciiLetterLower(text[i]) || text[i] == '*'))
        {
            throw new FormatException("bad key");
        }

        while (i < text.Length && (char.IsAsciiLetterLower(text[i]) || char.IsAsciiDigit(text[i]) || text[i] is '_' or '-' or '.' or '*'))
        {
            i++;
        }

        return text[start..i];
    }

    private static long ParseInteger(string text, ref int i)
    {
        int start = i;
        if (i < text.Length && text[i] == '-')
        {
            i++;
        }

        while (i < text.Length && char.IsAsciiDigit(text[i]))
        {
            i++;
        }

        string digits = text[start..i];
        if (digits.TrimStart('-').Length is 0 or > 15)
        {
            throw new FormatException("bad integer");
        }

        return long.Parse(digits, CultureInfo.InvariantCulture);
    }

    private static void Expect(string text, ref int i, char c)
    {
        if (i >= text.Length || text[i] != c)
        {
            throw new FormatException($"expected '{c}' at {i} in {text}");
        }

        i++;
    }

    private static void SkipSpaces(string text, ref int i)
    {
        while (i < text.Length && text[i] == ' ')
        {
            i++;
        }
    }
}
