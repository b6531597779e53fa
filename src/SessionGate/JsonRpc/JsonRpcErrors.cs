// JSON-RPC 2.0 error objects (https://www.jsonrpc.org/specification §5.1) with the codes of the
// specification (-32700 parse error, -32600 invalid request, -32601 method not found) and of
// EIP-1474, which Ethereum clients understand (-32005 limit exceeded, -32002 resource unavailable).
using System.Text.Json;

namespace SessionGate.JsonRpc;

/// <summary>Writes the gateway's own JSON-RPC answers: one error object per answered call.</summary>
internal static class JsonRpcErrors
{
    /// <summary>Invalid JSON.</summary>
    public const int ParseError = -32700;

    /// <summary>Not a valid call (or batch), or one the gateway will not meter (too large).</summary>
    public const int InvalidRequest = -32600;

    /// <summary>The method is disabled on this route (or not on its allowed list).</summary>
    public const int MethodNotFound = -32601;

    /// <summary>EIP-1474 "resource unavailable": the shared rate limiter cannot decide now.</summary>
    public const int ResourceUnavailable = -32002;

    /// <summary>EIP-1474 "limit exceeded": the caller's rate or daily budget refuses the body.</summary>
    public const int LimitExceeded = -32005;

    /// <summary>The answer to a body refused by the gateway (status other than Ok): its refusal per answered call.</summary>
    /// <returns>False when there is nothing to answer (every call is a notification): the response has no body.</returns>
    public static bool WriteRefusal(Utf8JsonWriter writer, JsonRpcBody body)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(body);
        JsonRpcError whole = body.Status switch
        {
            JsonRpcBodyStatus.ParseError => new(ParseError, "Parse error: the body is not valid JSON.", "jsonrpc_parse_error"),
            JsonRpcBodyStatus.InvalidRequest => new(InvalidRequest, "Invalid Request: the body must be a call object or a non-empty array of them.", "jsonrpc_invalid_request"),
            JsonRpcBodyStatus.BatchTooLarge => new(InvalidRequest, "Invalid Request: the batch has more calls than this gateway accepts.", "jsonrpc_batch_too_large"),
            _ => default,
        };
        if (whole.Message is not null)
        {
            WriteError(writer, null, whole);
            return true;
        }

        return WritePerCall(writer, body, static call => call.Status switch
        {
            JsonRpcCallStatus.Invalid => new(InvalidRequest, "Invalid Request: a call must be an object with one string \"method\" and an optional string, number or null \"id\".", "jsonrpc_invalid_request"),
            JsonRpcCallStatus.NotAllowed => new(MethodNotFound, "Method not found: this method is not allowed on this route.", "jsonrpc_method_disabled"),
            _ => new(InvalidRequest, "Invalid Request: the batch was refused whole because another of its calls is invalid or not allowed.", "jsonrpc_batch_refused"),
        });
    }

    /// <summary>The same error for every answered call of an accepted body (a rate-limit refusal of the whole body).</summary>
    /// <returns>False when every call is a notification: the response has no body.</returns>
    public static bool WriteForEveryCall(Utf8JsonWriter writer, JsonRpcBody body, JsonRpcError error)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(body);
        return WritePerCall(writer, body, _ => error);
    }

    /// <summary>One error object, <c>{"jsonrpc":"2.0","error":{…},"id":…}</c>.</summary>
    /// <param name="writer">Where to write.</param>
    /// <param name="id">The call's id as sent (raw JSON), or null for <c>"id":null</c>.</param>
    /// <param name="error">Code, message and the <c>data</c> members.</param>
    public static void WriteError(Utf8JsonWriter writer, byte[]? id, JsonRpcError error)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStartObject();
        writer.WriteString("jsonrpc", "2.0");
        writer.WriteStartObject("error");
        writer.WriteNumber("code", error.Code);
        writer.WriteString("message", error.Message);
        writer.WriteStartObject("data");
        writer.WriteString("code", error.ProblemCode);
        if (error.RetryAfterSeconds is { } retryAfter)
        {
            writer.WriteNumber("retry_after", retryAfter);
        }

        writer.WriteEndObject();
        writer.WriteEndObject();
        writer.WritePropertyName("id");
        if (id is null)
        {
            writer.WriteNullValue();
        }
        else
        {
            writer.WriteRawValue(id);
        }

        writer.WriteEndObject();
    }

    // A single call is answered with an object, a batch with an array; notifications are never
    // answered (§4.1), and a batch of notifications only gets no body at all (§6).
    private static bool WritePerCall(Utf8JsonWriter writer, JsonRpcBody body, Func<JsonRpcCall, JsonRpcError> errorOf)
    {
        if (!body.Calls.Any(c => !c.IsNotification))
        {
            return false;
        }

        if (body.IsBatch)
        {
            writer.WriteStartArray();
        }

        foreach (JsonRpcCall call in body.Calls)
        {
            if (!call.IsNotification)
            {
                WriteError(writer, call.Id, errorOf(call));
            }
        }

        if (body.IsBatch)
        {
            writer.WriteEndArray();
        }

        return true;
    }
}

/// <summary>One JSON-RPC error: its code and message, and the <c>data</c> members (SessionGate's problem code, the wait).</summary>
/// <param name="Code">The JSON-RPC error code (see <see cref="JsonRpcErrors"/>).</param>
/// <param name="Message">A short description for people.</param>
/// <param name="ProblemCode"><c>data.code</c>: SessionGate's stable code, as in problem details.</param>
/// <param name="RetryAfterSeconds"><c>data.retry_after</c>: seconds to wait, for rate refusals.</param>
internal readonly record struct JsonRpcError(int Code, string Message, string ProblemCode, long? RetryAfterSeconds = null);
