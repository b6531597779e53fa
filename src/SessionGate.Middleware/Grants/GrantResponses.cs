using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using SessionGate.AspNetCore.Authentication;
using SessionGate.Keys;

namespace SessionGate.AspNetCore.Grants;

/// <summary>The JSON the grant and session endpoints answer (docs/grants.md).</summary>
internal static class GrantResponses
{
    public static Task WriteProblemAsync(HttpContext context, int status, string code, string title, string? detail, IReadOnlyDictionary<string, IReadOnlyList<string>>? errors = null) =>
        ProblemResponses.WriteAsync(context, status, code, title, detail, context.Request.Path.Value, errors is null ? null : writer =>
        {
            writer.WriteStartObject("errors");
            foreach (KeyValuePair<string, IReadOnlyList<string>> pair in errors)
            {
                writer.WriteStartArray(pair.Key);
                foreach (string message in pair.Value)
                {
                    writer.WriteStringValue(message);
                }

                writer.WriteEndArray();
            }

            writer.WriteEndObject();
        });

    public static Task WriteKeyAsync(HttpContext context, int status, SignerKeyRecord record, DateTimeOffset now) =>
        WriteJsonAsync(context, status, writer => WriteKey(writer, record, now));

    public static void WriteKey(Utf8JsonWriter writer, SignerKeyRecord record, DateTimeOffset now)
    {
        writer.WriteStartObject();
        writer.WriteString("public_key", record.PublicKey.ToHex());
        writer.WriteString("account", record.Account);
        writer.WriteString("expires", Time(record.Expires));
        writer.WriteString("use_case", record.UseCase);
        Admin.KeyRecordJson.WriteScopes(writer, record.Scopes, "max_cost");
        writer.WriteString("origin", KeyOrigins.Name(record.Origin));
        writer.WriteString("state", record.Disabled ? "disabled" : now >= record.Expires ? "expired" : "active");
        writer.WriteEndObject();
    }

    public static string Time(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    public static Task WriteJsonAsync(HttpContext context, int status, Action<Utf8JsonWriter> body)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            body(writer);
        }

        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        context.Response.Headers.CacheControl = "no-store";
        context.Response.ContentLength = buffer.WrittenCount;
        return context.Response.Body.WriteAsync(buffer.WrittenMemory).AsTask();
    }
}
