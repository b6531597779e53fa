using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace SessionGate.Proxy.Gateway.Health;

/// <summary>
/// Writes a health report as JSON: <c>{"status":"Healthy","checks":{"chain":{"status":…,"description":…,"data":{…}}}}</c>.
/// The status code (200, or 503 when unhealthy) is set by the health-check middleware.
/// </summary>
internal static class HealthResponseWriter
{
    public static Task WriteAsync(HttpContext context, HealthReport report)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>(512);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("status", report.Status.ToString());
            writer.WriteStartObject("checks");
            foreach ((string name, HealthReportEntry entry) in report.Entries)
            {
                writer.WriteStartObject(name);
                writer.WriteString("status", entry.Status.ToString());
                if (entry.Description is not null)
                {
                    writer.WriteString("description", entry.Description);
                }

                if (entry.Data.Count > 0)
                {
                    writer.WriteStartObject("data");
                    foreach ((string key, object value) in entry.Data)
                    {
                        writer.WritePropertyName(key);
                        JsonSerializer.Serialize(writer, value, value.GetType(), HealthJsonContext.Default);
                    }

                    writer.WriteEndObject();
                }

                writer.WriteEndObject();
            }

            writer.WriteEndObject();
            writer.WriteEndObject();
        }

        context.Response.ContentType = "application/json";
        context.Response.Headers.CacheControl = "no-store";
        return context.Response.Body.WriteAsync(buffer.WrittenMemory).AsTask();
    }
}

/// <summary>Source-generated JSON for the value types health data holds (no reflection).</summary>
[System.Text.Json.Serialization.JsonSerializable(typeof(int))]
[System.Text.Json.Serialization.JsonSerializable(typeof(long))]
[System.Text.Json.Serialization.JsonSerializable(typeof(double))]
[System.Text.Json.Serialization.JsonSerializable(typeof(string))]
[System.Text.Json.Serialization.JsonSerializable(typeof(bool))]
internal sealed partial class HealthJsonContext : System.Text.Json.Serialization.JsonSerializerContext;
