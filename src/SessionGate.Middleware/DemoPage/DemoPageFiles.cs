using System.Collections.Frozen;
using SessionGate.AspNetCore.EmbeddedFiles;

namespace SessionGate.AspNetCore.DemoPage;

/// <summary>
/// The demo page's files, embedded in this assembly (see the csproj: the browser bundle is linked
/// from clients/js/dist, built and committed there, so the .NET build needs no npm).
/// </summary>
internal static class DemoPageFiles
{
    /// <summary>The page's path below <c>{PathPrefix}</c>; its files are under <c>/demo/</c>.</summary>
    public const string PagePath = "/demo";

    private static readonly (string Path, string Resource, string ContentType)[] Files =
    [
        (PagePath, "SessionGate.AspNetCore.DemoPage.demo.html", "text/html; charset=utf-8"),
        (PagePath + "/sessiongate-client.js", "SessionGate.AspNetCore.DemoPage.sessiongate-client.js", "text/javascript; charset=utf-8"),
        (PagePath + "/demo.js", "SessionGate.AspNetCore.DemoPage.demo.js", "text/javascript; charset=utf-8"),
        (PagePath + "/demo.css", "SessionGate.AspNetCore.DemoPage.demo.css", "text/css; charset=utf-8"),
    ];

    private static readonly Lazy<FrozenDictionary<string, EmbeddedFile>> All = new(() =>
        Files.ToFrozenDictionary(f => f.Path, f => EmbeddedFile.Load(f.Resource, f.ContentType), StringComparer.Ordinal));

    /// <summary>The files by path (ordinal: paths are served exactly as named).</summary>
    public static FrozenDictionary<string, EmbeddedFile> ByPath => All.Value;
}
