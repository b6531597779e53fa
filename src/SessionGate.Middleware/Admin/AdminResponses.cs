using System.Buffers;
using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using SessionGate.AspNetCore.Authentication;

namespace SessionGate.AspNetCore.Admin;

/// <summary>Writes admin answers: JSON built with Utf8JsonWriter (no reflection) and RFC 9457 problems.</summary>
internal static class AdminResponses
{
    public static Task WriteJsonAsync(HttpContext context, int status, Action<Utf8JsonWriter> body)
    {
        var buffer = new ArrayBufferWriter<byte>(512);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            body(writer);
        }

        return WriteAsync(context, status, "application/json", buffer.WrittenMemory);
    }

    public static Task WriteProblemAsync(HttpContext context, AdminProblemException problem)
    {
        if (problem.Status == StatusCodes.Status401Unauthorized)
        {
            context.Response.Headers.WWWAuthenticate = "Bearer realm=\"sessiongate-admin\"";
        }

        if (problem.RetryAfter is { } wait)
        {
            context.Response.Headers.RetryAfter = Math.Max(1, (long)Math.Ceiling(wait.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
        }

        return ProblemResponses.WriteAsync(context, problem.Status, problem.Code, AdminProblemCodes.TitleOf(problem.Code), problem.Message, instance: null, writer =>
        {
            if (problem.Errors is not { Count: > 0 } errors)
            {
                return;
            }

            writer.WriteStartObject("errors");
            foreach ((string name, List<string> messages) in errors.OrderBy(e => e.Key, StringComparer.Ordinal))
            {
                writer.WriteStartArray(name);
                foreach (string message in messages)
                {
                    writer.WriteStringValue(message);
                }

                writer.WriteEndArray();
            }

            writer.WriteEndObject();
        });
    }

    public static string Time(DateTimeOffset value) =>
        value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'", CultureInfo.InvariantCulture);

    public static double Seconds(TimeSpan value) => Math.Round(Math.Max(0, value.TotalSeconds), 3);

    public static Task WriteAsync(HttpContext context, int status, string contentType, ReadOnlyMemory<byte> body)
    {
        HttpResponse response = context.Response;
        response.StatusCode = status;
        response.ContentType = contentType;
        response.Headers.CacheControl = "no-store";
        response.ContentLength = body.Length;
        return response.Body.WriteAsync(body, context.RequestAborted).AsTask();
    }
}
