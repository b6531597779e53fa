using System.Text.Json;
using Microsoft.AspNetCore.Http;
using SessionGate.Authentication;

namespace SessionGate.Dashboard;

/// <summary>The dashboard's one refusal, as the same RFC 9457 problem the admin API uses for it.</summary>
internal static class DashboardProblem
{
    private const string MethodNotAllowed = "method_not_allowed";

    public static Task WriteMethodNotAllowedAsync(HttpContext context)
    {
        HttpResponse response = context.Response;
        response.StatusCode = StatusCodes.Status405MethodNotAllowed;
        response.ContentType = "application/problem+json";
        response.Headers.CacheControl = "no-store";

        var buffer = new System.Buffers.ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("type", ProblemResponses.TypeFor(MethodNotAllowed));
            writer.WriteString("title", "The method is not allowed.");
            writer.WriteNumber("status", StatusCodes.Status405MethodNotAllowed);
            writer.WriteString("code", MethodNotAllowed);
            writer.WriteString("detail", "The dashboard's files answer GET and HEAD only.");
            writer.WriteString("instance", context.Request.PathBase.Add(context.Request.Path).Value);
            writer.WriteEndObject();
        }

        response.ContentLength = buffer.WrittenCount;
        return response.Body.WriteAsync(buffer.WrittenMemory).AsTask();
    }
}
