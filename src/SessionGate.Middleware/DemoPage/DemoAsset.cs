using System.Reflection;

namespace SessionGate.DemoPage;

/// <summary>
/// A file of the demo page, embedded in this assembly (see the csproj: the browser bundle is linked
/// from clients/js/dist, built and committed there, so the .NET build needs no npm).
/// </summary>
internal sealed class DemoAsset
{
    private const string ResourcePrefix = "SessionGate.DemoPage.";

    private readonly Lazy<byte[]> _content;

    private DemoAsset(string resourceName, string contentType)
    {
        ContentType = contentType;
        _content = new Lazy<byte[]>(() => Load(ResourcePrefix + resourceName));
    }

    /// <summary>The page, served at <c>{PathPrefix}/demo</c>.</summary>
    public static DemoAsset Page { get; } = new("demo.html", "text/html; charset=utf-8");

    /// <summary>The page's files, served at <c>{PathPrefix}/demo/{name}</c>.</summary>
    public static IReadOnlyDictionary<string, DemoAsset> Files { get; } = new Dictionary<string, DemoAsset>(StringComparer.Ordinal)
    {
        ["sessiongate-client.js"] = new("sessiongate-client.js", "text/javascript; charset=utf-8"),
        ["demo.js"] = new("demo.js", "text/javascript; charset=utf-8"),
        ["demo.css"] = new("demo.css", "text/css; charset=utf-8"),
    };

    public string ContentType { get; }

    public ReadOnlyMemory<byte> Content => _content.Value;

    private static byte[] Load(string name)
    {
        using Stream stream = typeof(DemoAsset).Assembly.GetManifestResourceStream(name)
            ?? throw new InvalidOperationException($"The embedded resource {name} is missing from {typeof(DemoAsset).Assembly.GetName().Name}.");
        using var copy = new MemoryStream((int)stream.Length);
        stream.CopyTo(copy);
        return copy.ToArray();
    }
}
