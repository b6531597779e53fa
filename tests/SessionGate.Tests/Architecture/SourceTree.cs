using System.Text.RegularExpressions;

namespace SessionGate.Tests.Architecture;

/// <summary>The repository's C# sources, read as text (the architecture rules are about the code as written).</summary>
internal static partial class SourceTree
{
    public static string Root { get; } = FindRoot();

    /// <summary>Every .cs file under <paramref name="relativeDirectory"/>, without build output.</summary>
    public static IEnumerable<string> Files(string relativeDirectory) =>
        Directory.EnumerateFiles(Path.Combine(Root, relativeDirectory), "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                     && !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal));

    /// <summary>The path of <paramref name="file"/> relative to <paramref name="relativeDirectory"/>, with '/'.</summary>
    public static string Relative(string relativeDirectory, string file) =>
        Path.GetRelativePath(Path.Combine(Root, relativeDirectory), file).Replace(Path.DirectorySeparatorChar, '/');

    /// <summary>The file-scoped namespace a file declares, or null.</summary>
    public static string? Namespace(string text) => NamespacePattern().Match(text) is { Success: true } m ? m.Groups[1].Value : null;

    [GeneratedRegex(@"^namespace ([\w.]+);", RegexOptions.Multiline)]
    private static partial Regex NamespacePattern();

    private static string FindRoot()
    {
        for (DirectoryInfo? directory = new(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "SessionGate.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException("SessionGate.sln not found above " + AppContext.BaseDirectory);
    }
}
