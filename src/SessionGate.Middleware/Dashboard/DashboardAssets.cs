using System.Collections.Frozen;
using System.Reflection;
using System.Security.Cryptography;

namespace SessionGate.Dashboard;

/// <summary>
/// The dashboard's files, embedded in this assembly (so the page works offline, with nothing to deploy
/// beside the gateway) and keyed by the path they are served at below <c>{PathPrefix}</c>.
/// </summary>
internal static class DashboardAssets
{
    /// <summary>The page itself. Its asset references are relative (<c>dashboard/…</c>) so it works below any path base.</summary>
    public const string PagePath = "/dashboard";

    /// <summary>Logical names of the embedded resources (see the csproj), by the path they are served at.</summary>
    private static readonly (string Path, string Resource, string ContentType)[] Files =
    [
        (PagePath, "SessionGate.Dashboard.index.html", "text/html; charset=utf-8"),
        (PagePath + "/dashboard.js", "SessionGate.Dashboard.dashboard.js", "text/javascript; charset=utf-8"),
        (PagePath + "/dashboard.css", "SessionGate.Dashboard.dashboard.css", "text/css; charset=utf-8"),
        (PagePath + "/icon.svg", "SessionGate.Dashboard.icon.svg", "image/svg+xml"),
    ];

    private static readonly Lazy<FrozenDictionary<string, DashboardAsset>> All = new(Load);

    /// <summary>The assets by path (ordinal: paths are served exactly as named).</summary>
    public static FrozenDictionary<string, DashboardAsset> ByPath => All.Value;

    private static FrozenDictionary<string, DashboardAsset> Load()
    {
        Assembly assembly = typeof(DashboardAssets).Assembly;
        var assets = new Dictionary<string, DashboardAsset>(StringComparer.Ordinal);
        foreach ((string path, string resource, string contentType) in Files)
        {
            // A missing resource is a packaging bug of this assembly, never a client's doing.
            using Stream stream = assembly.GetManifestResourceStream(resource)
                ?? throw new InvalidOperationException($"The dashboard resource '{resource}' is not embedded in {assembly.GetName().Name}.");
            using var buffer = new MemoryStream();
            stream.CopyTo(buffer);
            byte[] content = buffer.ToArray();
            string etag = "\"" + Convert.ToHexStringLower(SHA256.HashData(content).AsSpan(0, 16)) + "\"";
            assets[path] = new DashboardAsset(content, contentType, etag);
        }

        return assets.ToFrozenDictionary(StringComparer.Ordinal);
    }
}
