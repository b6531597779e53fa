using System.Text;

namespace SessionGate.Proxy.Demo;

/// <summary>
/// How to run this very executable from a shell, so printed commands paste as they are: the apphost
/// (<c>…/sessiongate</c>, what <c>dotnet run</c> starts) or <c>dotnet …/sessiongate.dll</c>.
/// </summary>
internal static class SelfInvocation
{
    public static string Command()
    {
        string? process = Environment.ProcessPath;
        if (process is not null && Path.GetFileNameWithoutExtension(process).Equals("sessiongate", StringComparison.OrdinalIgnoreCase))
        {
            return Quote(process);
        }

        return "dotnet " + Quote(Path.Combine(AppContext.BaseDirectory, "sessiongate.dll"));
    }

    /// <summary>POSIX shell quoting: as is when plainly safe, else in single quotes.</summary>
    public static string Quote(string word)
    {
        if (word.Length > 0 && word.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '.' or '/' or ':' or '=' or '@' or '%' or '+' or ',' or '-'))
        {
            return word;
        }

        return new StringBuilder("'").Append(word.Replace("'", "'\\''", StringComparison.Ordinal)).Append('\'').ToString();
    }
}
