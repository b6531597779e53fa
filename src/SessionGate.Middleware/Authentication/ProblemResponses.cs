using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using SessionGate.Verification;
using SessionGate.Verification.Difficulty;

namespace SessionGate.AspNetCore.Authentication;

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
        if (description.Status == StatusCodes.Status401Unauthorized)
        {
            response.Headers.WWWAuthenticate = "KiraSession";
        }

        if (retryAfter is { } wait)
        {
            response.Headers.RetryAfter = Math.Max(1, (long)Math.Ceiling(wait.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
        }

        return WriteAsync(context, description.Status, description.Code, description.Title, detail, context.Request.Path.Value, ExtensionsFor(context, error));
    }

    // difficulty_required names the difficulty to solve (docs/protocol.md), so a client need not ask /block again.
    private static Action<Utf8JsonWriter>? ExtensionsFor(HttpContext context, SessionError error) =>
        error == SessionError.DifficultyRequired && context.RequestServices?.GetService(typeof(DifficultyGate)) is DifficultyGate gate
            ? writer => writer.WriteNumber("difficulty", gate.Current)
            : null;

    /// <summary>
    /// Writes any of SessionGate's problems (session refusals, admin API, the gateway's pages): the
    /// members every one has (<c>detail</c> and <c>instance</c> when not null), then the extension
    /// members an <c>extensions</c> callback writes (e.g. the admin API's <c>errors</c>).
    /// </summary>
    public static Task WriteAsync(HttpContext context, int status, string code, string title, string? detail, string? instance, Action<Utf8JsonWriter>? extensions = null)
    {
        HttpResponse response = context.Response;
        response.StatusCode = status;
        response.ContentType = "application/problem+json";
        response.Headers.CacheControl = "no-store";

        var buffer = new System.Buffers.ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("type", TypeFor(code));
            writer.WriteString("title", title);
            writer.WriteNumber("status", status);
            writer.WriteString("code", code);
            if (detail is not null)
            {
                writer.WriteString("detail", detail);
            }

            if (instance is not null)
            {
                writer.WriteString("instance", instance);
            }

            extensions?.Invoke(writer);
            writer.WriteEndObject();
        }

        response.ContentLength = buffer.WrittenCount;
        return response.Body.WriteAsync(buffer.WrittenMemory).AsTask();
    }
}
