using System.Buffers;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using SessionGate.JsonRpc;

namespace SessionGate.AspNetCore.JsonRpc;

/// <summary>Writes the gateway's own answers to JSON-RPC clients (docs/protocol.md, "JSON-RPC routes").</summary>
internal static class JsonRpcResponses
{
    /// <summary>The refusal of a body the gateway will not forward (parse error, invalid or disallowed calls).</summary>
    public static Task WriteRefusalAsync(HttpContext context, JsonRpcBody body) =>
        WriteAsync(context, StatusOf(body), writer => JsonRpcErrors.WriteRefusal(writer, body));

    /// <summary>413 with a -32600 error: the body is larger than <c>SessionGate:JsonRpc:MaxBodyBytes</c>.</summary>
    public static Task WriteBodyTooLargeAsync(HttpContext context, int maxBytes) =>
        WriteAsync(context, StatusCodes.Status413PayloadTooLarge, writer =>
        {
            JsonRpcErrors.WriteError(writer, null, new JsonRpcError(
                JsonRpcErrors.InvalidRequest, $"Invalid Request: the body is larger than {maxBytes} bytes.", "jsonrpc_body_too_large"));
            return true;
        });

    /// <summary>HTTP status of a refused body: 400 for malformed bodies and calls, 403 when only disallowed methods stopped it.</summary>
    public static int StatusOf(JsonRpcBody body) =>
        body.Status == JsonRpcBodyStatus.CallsRefused && body.Calls.All(c => c.Status != JsonRpcCallStatus.Invalid)
            ? StatusCodes.Status403Forbidden
            : StatusCodes.Status400BadRequest;

    /// <summary>Writes <paramref name="status"/> and, unless <paramref name="write"/> returns false (only notifications), a JSON body.</summary>
    public static Task WriteAsync(HttpContext context, int status, Func<Utf8JsonWriter, bool> write)
    {
        HttpResponse response = context.Response;
        response.StatusCode = status;
        response.Headers.CacheControl = "no-store";
        var buffer = new ArrayBufferWriter<byte>(256);
        bool any;
        using (var writer = new Utf8JsonWriter(buffer))
        {
            any = write(writer);
        }

        if (!any)
        {
            response.ContentLength = 0;
            return Task.CompletedTask;
        }

        response.ContentType = "application/json";
        response.ContentLength = buffer.WrittenCount;
        return response.Body.WriteAsync(buffer.WrittenMemory).AsTask();
    }
}
