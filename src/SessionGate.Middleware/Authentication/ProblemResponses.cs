using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using SessionGate.Verification;

namespace SessionGate.Authentication;

/// <summary>
/// Writes RFC 9457 <c>application/problem+json</c> refusals with the stable <c>code</c> extension
/// member. Written with Utf8JsonWriter: no reflection, no stack traces, never the client's header.
/// </summary>
internal static class ProblemResponses
{
    /// <summary>The problem type URI of a code: stable, documented in docs/protocol.md.</summary>
    public static string TypeFor(string code) => "urn:sessiongate:problem:" + code;

    public static Task WriteAsync(HttpContext context, SessionError error, string? detail, TimeSpan? retryAfter = null)
    {
        SessionErrorDescription description = SessionErrors.Describe(error);
        HttpResponse response = context.Response;
        response.StatusCode = description.Status;
        response.ContentType = "application/problem+json";
        response.Headers.CacheControl = "no-store";
        if (description.Status == StatusCodes.Status401Unauthorized)
        {
            response.Headers.WWWAuthenticate = "KiraSession";
        }

        if (retryAfter is { } wait)
        {
            response.Headers.RetryAfter = Math.Max(1, (long)Math.Ceiling(wait.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
        }

        var buffer = new System.Buffers.ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("type", TypeFor(description.Code));
            writer.WriteString("title", description.Title);
            writer.WriteNumber("status", description.Status);
            writer.WriteString("code", description.Code);
            if (detail is not null)
            {
                writer.WriteString("detail", detail);
            }

            writer.WriteString("instance", context.Request.Path.Value);
            writer.WriteEndObject();
        }

        response.ContentLength = buffer.WrittenCount;
        return response.Body.WriteAsync(buffer.WrittenMemory).AsTask();
    }
}
