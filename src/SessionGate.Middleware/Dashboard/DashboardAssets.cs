using System.Collections.Frozen;
using SessionGate.AspNetCore.EmbeddedFiles;

namespace SessionGate.AspNetCore.Dashboard;

/// <summary>The dashboard's files, embedded in this assembly and keyed by the path they are served at below <c>{PathPrefix}</c>.</summary>
internal static class DashboardAssets
{
    /// <summary>The page itself. Its asset references are relative (<c>dashboard/…</c>) so it works below any path base.</summary>
    public const string PagePath = "/dashboard";

    /// <summary>Logical names of the embedded resources (see the csproj), by the path they are served at.</summary>
    private static readonly (string Path, string Resource, string ContentType)[] Files =
    [
        (PagePath, "SessionGate.AspNetCore.Dashboard.index.html", "text/html; charset=utf-8"),
        (PagePath + "/dashboard.js", "SessionGate.AspNetCore.Dashboard.dashboard.js", "text/javascript; charset=utf-8"),
        (PagePath + "/dashboard.css", "SessionGate.AspNetCore.Dashboard.dashboard.css", "text/css; charset=utf-8"),
        (PagePath + "/icon.svg", "SessionGate.AspNetCore.Dashboard.icon.svg", "image/svg+xml"),
    ];

    private static readonly Lazy<FrozenDictionary<string, EmbeddedFile>> All = new(() =>
        Files.ToFrozenDictionary(f => f.Path, f => EmbeddedFile.Load(f.Resource, f.ContentType), StringComparer.Ordinal));

    /// <summary>The files by path (ordinal: paths are served exactly as named).</summary>
    public static FrozenDictionary<string, EmbeddedFile> ByPath => All.Value;
}
