using System.Buffers;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;

namespace SessionGate.AspNetCore.Admin;

/// <summary>
/// Reads an admin request body strictly: <c>application/json</c> only (415 otherwise), at most
/// <see cref="MaxBytes"/> (413, checked on Content-Length and again while reading a chunked body),
/// well-formed UTF-8 JSON whose root is an object (400). Parsed with JsonDocument, never bound by
/// reflection.
/// </summary>
internal static class AdminBody
{
    /// <summary>Largest accepted body: 64 KiB.</summary>
    public const int MaxBytes = 64 * 1024;

    private static readonly JsonDocumentOptions ParseOptions = new() { MaxDepth = 16 };

    /// <summary>The body's properties; null when the request has no body and <paramref name="required"/> is false.</summary>
    public static async Task<JsonBody?> ReadAsync(HttpContext context, bool required)
    {
        HttpRequest request = context.Request;
        bool hasBody = request.ContentLength is > 0 || (request.ContentLength is null && request.Headers.TransferEncoding.Count > 0);
        if (!hasBody && !required && string.IsNullOrEmpty(request.ContentType))
        {
            return null;
        }

        if (!IsJson(request.ContentType))
        {
            throw new AdminProblemException(415, AdminProblemCodes.UnsupportedMediaType, "Send the body as Content-Type: application/json.");
        }

        if (request.ContentLength > MaxBytes)
        {
            throw TooLarge();
        }

        byte[] body = await ReadBoundedAsync(request, context.RequestAborted).ConfigureAwait(false);
        if (body.Length == 0)
        {
            if (!required)
            {
                return null;
            }

            throw ValidationErrors.Single("body", "is required");
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(body, ParseOptions);
        }
        catch (JsonException)
        {
            throw ValidationErrors.Single("body", "is not valid JSON");
        }

        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                throw ValidationErrors.Single("body", "must be a JSON object");
            }

            return new JsonBody(document.RootElement.Clone());
        }
    }

    private static bool IsJson(string? contentType)
    {
        if (!MediaTypeHeaderValue.TryParse(contentType, out MediaTypeHeaderValue? media)
            || !media.MediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        return !media.Charset.HasValue || media.Charset.Equals("utf-8", StringComparison.OrdinalIgnoreCase);
    }

    private static async Task<byte[]> ReadBoundedAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        var buffer = new ArrayBufferWriter<byte>(Math.Min((int)(request.ContentLength ?? 1024), MaxBytes) + 1);
        while (true)
        {
            Memory<byte> target = buffer.GetMemory(4096);
            int read = await request.Body.ReadAsync(target, cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                return buffer.WrittenSpan.ToArray();
            }

            buffer.Advance(read);
            if (buffer.WrittenCount > MaxBytes)
            {
                throw TooLarge();
            }
        }
    }

    private static AdminProblemException TooLarge() =>
        new(413, AdminProblemCodes.RequestTooLarge, $"The body is larger than {MaxBytes} bytes.");
}
