using Microsoft.AspNetCore.Http;

namespace SessionGate.AspNetCore.Admin;

/// <summary>
/// Serves the hand-written OpenAPI 3.1 document of the admin API (embedded resource admin-openapi.json).
/// Hand-written rather than generated: the admin routes are deliberately outside endpoint routing,
/// and the document is the contract the dashboard and the JS client are built against.
/// </summary>
internal static class OpenApiDocument
{
    private static readonly Lazy<byte[]> Content = new(Load);

    public static byte[] Bytes => Content.Value;

    public static Task WriteAsync(HttpContext context, string[] values)
    {
        HttpResponse response = context.Response;
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = "application/json";
        response.Headers.CacheControl = "no-store";
        response.ContentLength = Bytes.Length;
        return response.Body.WriteAsync(Bytes, context.RequestAborted).AsTask();
    }

    private static byte[] Load()
    {
        using Stream stream = typeof(OpenApiDocument).Assembly.GetManifestResourceStream("SessionGate.AspNetCore.Admin.admin-openapi.json")
            ?? throw new InvalidOperationException("The embedded admin OpenAPI document is missing.");
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }
}
