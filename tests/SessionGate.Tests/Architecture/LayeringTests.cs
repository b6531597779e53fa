using System.Text.RegularExpressions;

namespace SessionGate.Tests.Architecture;

/// <summary>
/// The rules docs/architecture.md states, checked against the sources: the core library's feature
/// folders depend on each other without cycles, each assembly keeps to its own root namespace, and
/// every log event id belongs to exactly one feature folder.
/// </summary>
public sealed partial class LayeringTests
{
    private const string Core = "src/SessionGate";

    [Fact]
    public void CoreFolders_HaveNoDependencyCycles()
    {
        Dictionary<string, HashSet<string>> graph = CoreFolderGraph();

        List<string> cycles = [];
        foreach (string start in graph.Keys)
        {
            foreach (string next in graph[start])
            {
                if (Reaches(graph, next, start, []))
                {
                    cycles.Add(start + " -> " + next);
                }
            }
        }

        Assert.True(cycles.Count == 0, "folder dependencies that close a cycle: " + string.Join(", ", cycles));
    }

    [Fact]
    public void CoreFolders_DependOnlyOnTheLayersBelowThem()
    {
        // The picture in docs/architecture.md, bottom (no SessionGate dependency) to top.
        string[][] layers =
        [
            ["Crypto", "Caching", "Diagnostics", "Hosting", "JsonRpc"],
            ["Protocol", "Storage"],
            ["Client", "Chain", "Keys", "Usage"],
            ["Balances"],
            ["RateLimiting", "Verification", "Grants"],
        ];
        Dictionary<string, int> layerOf = layers.SelectMany((folders, i) => folders.Select(f => (f, i))).ToDictionary(p => p.f, p => p.i);
        Dictionary<string, HashSet<string>> graph = CoreFolderGraph();

        Assert.Equal(layerOf.Keys.Order(StringComparer.Ordinal), graph.Keys.Order(StringComparer.Ordinal));
        string[] upward = [.. graph.SelectMany(p => p.Value.Where(d => layerOf[d] >= layerOf[p.Key]).Select(d => p.Key + " -> " + d))];
        Assert.True(upward.Length == 0, "dependencies on the same or a higher layer: " + string.Join(", ", upward));
    }

    [Theory]
    [InlineData(Core, "SessionGate.", "SessionGate.AspNetCore")]
    [InlineData("src/SessionGate.Middleware", "SessionGate.AspNetCore", null)]
    [InlineData("src/SessionGate.Proxy", "SessionGate.Proxy", null)]
    public void EachAssembly_KeepsToItsRootNamespace(string project, string root, string? forbidden)
    {
        string[] strays = [.. SourceTree.Files(project)
            .Select(f => (File: SourceTree.Relative(project, f), Namespace: SourceTree.Namespace(File.ReadAllText(f))))
            .Where(f => f.Namespace is not null && !f.Namespace.StartsWith("Microsoft.", StringComparison.Ordinal) && !f.Namespace.StartsWith("OpenTelemetry.", StringComparison.Ordinal))
            .Where(f => !f.Namespace!.StartsWith(root, StringComparison.Ordinal) || (forbidden is not null && f.Namespace.StartsWith(forbidden, StringComparison.Ordinal)))
            .Select(f => f.File + ": " + f.Namespace)];

        Assert.True(strays.Length == 0, "outside " + root + ": " + string.Join(", ", strays));
    }

    [Fact]
    public void LogEventIds_AreUniqueAndEachFolderOwnsItsRange()
    {
        var idsByFolder = new Dictionary<string, List<int>>();
        foreach (string project in new[] { Core, "src/SessionGate.Middleware", "src/SessionGate.Proxy" })
        {
            foreach (string file in SourceTree.Files(project))
            {
                string folder = project + "/" + Path.GetDirectoryName(SourceTree.Relative(project, file))!.Replace('\\', '/');
                foreach (Match id in EventIdPattern().Matches(File.ReadAllText(file)))
                {
                    (idsByFolder.TryGetValue(folder, out List<int>? ids) ? ids : idsByFolder[folder] = []).Add(int.Parse(id.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture));
                }
            }
        }

        int[] duplicates = [.. idsByFolder.Values.SelectMany(v => v).GroupBy(v => v).Where(g => g.Count() > 1).Select(g => g.Key)];
        Assert.True(duplicates.Length == 0, "event ids used twice: " + string.Join(", ", duplicates));

        var ranges = idsByFolder.Select(p => (Folder: p.Key, Min: p.Value.Min(), Max: p.Value.Max())).OrderBy(r => r.Min).ToArray();
        for (int i = 1; i < ranges.Length; i++)
        {
            Assert.True(ranges[i].Min > ranges[i - 1].Max, $"{ranges[i].Folder} ({ranges[i].Min}–{ranges[i].Max}) overlaps {ranges[i - 1].Folder} ({ranges[i - 1].Min}–{ranges[i - 1].Max})");
        }
    }

    [GeneratedRegex(@"EventId = (\d+)")]
    private static partial Regex EventIdPattern();

    // A folder depends on another when one of its files names a type declared there: through a using
    // directive, a qualified name (SessionGate.Chain.BlockInfo, Chain.BlockInfo) or a cref.
    private static Dictionary<string, HashSet<string>> CoreFolderGraph()
    {
        var files = SourceTree.Files(Core).Select(f => (Folder: SourceTree.Relative(Core, f).Split('/')[0], Text: File.ReadAllText(f)))
            .Where(f => f.Folder.EndsWith(".cs", StringComparison.Ordinal) is false)
            .ToArray();
        Dictionary<string, HashSet<string>> typesByFolder = files.GroupBy(f => f.Folder)
            .ToDictionary(g => g.Key, g => g.SelectMany(f => TypeDeclaration().Matches(f.Text).Select(m => m.Groups[1].Value)).ToHashSet(StringComparer.Ordinal));
        var graph = typesByFolder.Keys.ToDictionary(k => k, _ => new HashSet<string>(StringComparer.Ordinal));
        foreach ((string folder, string text) in files)
        {
            foreach (Match use in UsingDirective().Matches(text))
            {
                AddEdge(graph, folder, use.Groups[1].Value);
            }

            foreach (Match name in QualifiedName().Matches(text))
            {
                string target = name.Groups[1].Value;
                if (typesByFolder.TryGetValue(target, out HashSet<string>? types) && types.Contains(name.Groups[2].Value))
                {
                    AddEdge(graph, folder, target);
                }
            }
        }

        return graph;
    }

    private static void AddEdge(Dictionary<string, HashSet<string>> graph, string from, string to)
    {
        if (from != to && graph.ContainsKey(to))
        {
            graph[from].Add(to);
        }
    }

    private static bool Reaches(Dictionary<string, HashSet<string>> graph, string from, string to, HashSet<string> seen)
    {
        if (from == to)
        {
            return true;
        }

        return seen.Add(from) && graph[from].Any(next => Reaches(graph, next, to, seen));
    }

    [GeneratedRegex(@"\b(?:class|record struct|record|struct|interface|enum)\s+([A-Z]\w*)")]
    private static partial Regex TypeDeclaration();

    [GeneratedRegex(@"^using SessionGate\.(\w+)", RegexOptions.Multiline)]
    private static partial Regex UsingDirective();

    [GeneratedRegex(@"(?<![\w.])(?:SessionGate\.)?(\w+)\.(?:\w+\.)*([A-Z]\w*)")]
    private static partial Regex QualifiedName();
}
