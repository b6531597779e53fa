using System.Globalization;
using System.Text;

namespace SessionGate.Diagnostics;

/// <summary>
/// Makes a client-supplied value (a path, a header, an account string, a client address…) safe to put
/// in a log line: control characters — C0 (including CR, LF, TAB and ESC), DEL and C1, plus the
/// Unicode line and paragraph separators — become visible escapes (<c>\r</c>, <c>\n</c>, <c>\t</c>,
/// <c>\e</c>, <c>\u0085</c> …), and a backslash becomes <c>\\</c> so an escape cannot be faked. A
/// crafted value then cannot start a new log line, forge one, or send terminal escape sequences to
/// whoever reads the log in a terminal. Values longer than <see cref="MaxLength"/> are cut (marked
/// with <c>…</c>): a client must not be able to fill the log with one request.
/// </summary>
public static class LogValue
{
    /// <summary>Longest escaped value written (longer ones end in <c>…</c>).</summary>
    public const int MaxLength = 512;

    /// <summary>The value escaped for a log line; null stays null. Allocation-free when nothing needs escaping.</summary>
    [return: System.Diagnostics.CodeAnalysis.NotNullIfNotNull(nameof(value))]
    public static string? Escape(string? value)
    {
        if (value is null)
        {
            return null;
        }

        int first = IndexOfUnsafe(value);
        if (first < 0 && value.Length <= MaxLength)
        {
            return value;
        }

        var builder = new StringBuilder(Math.Min(value.Length, MaxLength) + 16);
        int i = 0;
        for (; i < value.Length && builder.Length < MaxLength; i++)
        {
            AppendEscaped(builder, value[i]);
        }

        if (i < value.Length)
        {
            builder.Append('…');
        }

        return builder.ToString();
    }

    private static int IndexOfUnsafe(string value)
    {
        for (int i = 0; i < value.Length; i++)
        {
            if (IsUnsafe(value[i]))
            {
                return i;
            }
        }

        return -1;
    }

    private static bool IsUnsafe(char c) => c is < ' ' or '\\' or (>= '\u007F' and <= '\u009F') or '\u2028' or '\u2029';

    private static void AppendEscaped(StringBuilder builder, char c)
    {
        switch (c)
        {
            case '\\': builder.Append(@"\\"); break;
            case '\r': builder.Append(@"\r"); break;
            case '\n': builder.Append(@"\n"); break;
            case '\t': builder.Append(@"\t"); break;
            case '\u001B': builder.Append(@"\e"); break;
            default:
                if (IsUnsafe(c))
                {
                    builder.Append(@"\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                }
                else
                {
                    builder.Append(c);
                }

                break;
        }
    }
}
