using System.Security.Cryptography;

namespace SessionGate.AspNetCore.EmbeddedFiles;

/// <summary>
/// A file of this assembly's embedded resources (the dashboard's and the demo page's), read once, so
/// the pages work offline with nothing to deploy beside the gateway. The csproj gives each resource an
/// explicit logical name, independent of folder and namespace.
/// </summary>
internal sealed class EmbeddedFile
{
    private EmbeddedFile(byte[] content, string contentType)
    {
        Content = content;
        ContentType = contentType;
        ETag = "\"" + Convert.ToHexStringLower(SHA256.HashData(content).AsSpan(0, 16)) + "\"";
    }

    /// <summary>The bytes served.</summary>
    public ReadOnlyMemory<byte> Content { get; }

    /// <summary>The media type with its charset.</summary>
    public string ContentType { get; }

    /// <summary>A strong entity tag derived from <see cref="Content"/> (quoted).</summary>
    public string ETag { get; }

    /// <summary>Reads <paramref name="resourceName"/>; a missing resource is a packaging bug of this assembly, never a client's doing.</summary>
    /// <exception cref="InvalidOperationException">The resource is not embedded.</exception>
    public static EmbeddedFile Load(string resourceName, string contentType)
    {
        System.Reflection.Assembly assembly = typeof(EmbeddedFile).Assembly;
        using Stream stream = assembly.GetManifestResourceStream(resourceName)
            ?? throw new InvalidOperationException($"The resource '{resourceName}' is not embedded in {assembly.GetName().Name}.");
        using var buffer = new MemoryStream();
        stream.CopyTo(buffer);
        return new EmbeddedFile(buffer.ToArray(), contentType);
    }
}
