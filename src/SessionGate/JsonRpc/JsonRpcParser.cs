// JSON-RPC 2.0 request bodies (https://www.jsonrpc.org/specification §4, §6): one call object, or a
// batch (a non-empty array of them). Read with Utf8JsonReader straight from the buffered body
// segments: no DOM, no string per member; a method name is unescaped into a stack buffer for the
// cost lookup, only a call's id is copied (it is echoed in error answers).
using System.Buffers;
using System.Text;
using System.Text.Json;

namespace SessionGate.JsonRpc;

/// <summary>
/// Reads what metering needs from a JSON-RPC body and decides it against a route's
/// <see cref="JsonRpcMethodTable"/>. Never throws on client input: anything malformed is a
/// <see cref="JsonRpcBodyStatus"/> other than Ok.
/// </summary>
/// <remarks>
/// <para>Member names are matched as Go's encoding/json (geth, CometBFT) matches them: ASCII
/// case-insensitively, after unescaping. A call with two <c>method</c> (or two <c>id</c>) members
/// in any spelling is invalid, so a body can never be charged for one method while the upstream runs
/// another.</para>
/// <para>Only <c>method</c> (a string of at most 256 bytes as sent) and <c>id</c> (a string, number
/// or null of at most 256 bytes) are checked; <c>jsonrpc</c>, <c>params</c> and other members are
/// the upstream's business, but the whole body must be well-formed JSON with nothing after it.</para>
/// </remarks>
internal static class JsonRpcParser
{
    /// <summary>Longest <c>id</c> value accepted, in bytes as sent.</summary>
    public const int MaxIdBytes = 256;

    private static readonly byte[] NullId = "null"u8.ToArray();

    private static readonly JsonReaderOptions ReaderOptions = new() { MaxDepth = 128 };

    private enum Member
    {
        Other,
        Method,
        Id,
    }

    /// <summary>Parses and decides <paramref name="body"/>.</summary>
    /// <param name="body">The whole request body.</param>
    /// <param name="table">The route's method costs and allow/deny lists.</param>
    /// <param name="maxBatchSize">Most calls in a batch.</param>
    public static JsonRpcBody Parse(in ReadOnlySequence<byte> body, JsonRpcMethodTable table, int maxBatchSize)
    {
        ArgumentNullException.ThrowIfNull(table);
        try
        {
            var reader = new Utf8JsonReader(body, ReaderOptions);
            return ParseTop(ref reader, table, maxBatchSize);
        }
        catch (JsonException)
        {
            return JsonRpcBody.Refused(JsonRpcBodyStatus.ParseError);
        }
    }

    /// <summary>Parses and decides a body held in one span.</summary>
    public static JsonRpcBody Parse(ReadOnlySpan<byte> body, JsonRpcMethodTable table, int maxBatchSize) =>
        Parse(new ReadOnlySequence<byte>(body.ToArray()), table, maxBatchSize);

    private static JsonRpcBody ParseTop(ref Utf8JsonReader reader, JsonRpcMethodTable table, int maxBatchSize)
    {
        if (!reader.Read())
        {
            return JsonRpcBody.Refused(JsonRpcBodyStatus.ParseError);
        }

        JsonRpcBody result;
        switch (reader.TokenType)
        {
            case JsonTokenType.StartObject:
                JsonRpcCall call = ReadCall(ref reader, table);
                result = call.Status == JsonRpcCallStatus.Ok
                    ? JsonRpcBody.Accepted(false, [call], call.Cost)
                    : JsonRpcBody.RefusedCalls(false, [call]);
                break;
            case JsonTokenType.StartArray:
                result = ReadBatch(ref reader, table, maxBatchSize);
                if (result.Status == JsonRpcBodyStatus.BatchTooLarge)
                {
                    // Refused unread: nothing after the limit is looked at.
                    return result;
                }

                break;
            default:
                result = JsonRpcBody.Refused(JsonRpcBodyStatus.InvalidRequest);
                break;
        }

        // Trailing data after the one value (a second value, garbage) makes Read throw: a parse error.
        return reader.Read() ? JsonRpcBody.Refused(JsonRpcBodyStatus.ParseError) : result;
    }

    private static JsonRpcBody ReadBatch(ref Utf8JsonReader reader, JsonRpcMethodTable table, int maxBatchSize)
    {
        var calls = new List<JsonRpcCall>(Math.Min(maxBatchSize, 16));
        long total = 0;
        bool refused = false;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (calls.Count == maxBatchSize)
            {
                return JsonRpcBody.Refused(JsonRpcBodyStatus.BatchTooLarge);
            }

            JsonRpcCall call;
            if (reader.TokenType == JsonTokenType.StartObject)
            {
                call = ReadCall(ref reader, table);
            }
            else
            {
                reader.Skip();
                call = new JsonRpcCall(JsonRpcCallStatus.Invalid, 0, NullId);
            }

            refused |= call.Status != JsonRpcCallStatus.Ok;
            total += call.Cost;
            calls.Add(call);
        }

        if (calls.Count == 0)
        {
            return JsonRpcBody.Refused(JsonRpcBodyStatus.InvalidRequest);
        }

        // At most MaxBatchSizeLimit calls of at most MaxCost each: the sum fits an int.
        return refused ? JsonRpcBody.RefusedCalls(true, calls) : JsonRpcBody.Accepted(true, calls, (int)Math.Min(total, int.MaxValue));
    }

    // The reader is on the call's StartObject; returns with it on the matching EndObject.
    private static JsonRpcCall ReadCall(ref Utf8JsonReader reader, JsonRpcMethodTable table)
    {
        bool invalid = false;
        bool sawMethod = false;
        bool sawId = false;
        JsonRpcMethodRule rule = default;
        string historyName = JsonRpcMethodTable.DefaultCostHistoryName;
        byte[]? id = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            Member member = MemberOf(ref reader);
            reader.Read();
            switch (member)
            {
                case Member.Method:
                    invalid |= sawMethod || !TryLookupMethod(ref reader, table, out rule, out historyName);
                    sawMethod = true;
                    break;
                case Member.Id:
                    invalid |= sawId;
                    sawId = true;
                    byte[]? value = IdOf(ref reader);
                    invalid |= value is null;
                    id = value ?? id;
                    break;
            }

            // Objects and arrays (params, or a wrongly typed method/id) are skipped whole.
            reader.Skip();
        }

        if (invalid || !sawMethod)
        {
            // Answered even without an id (JSON-RPC: an invalid request gets an error with id null).
            return new JsonRpcCall(JsonRpcCallStatus.Invalid, 0, id ?? NullId);
        }

        return rule.Allowed
            ? new JsonRpcCall(JsonRpcCallStatus.Ok, rule.Cost, id) { HistoryName = historyName }
            : new JsonRpcCall(JsonRpcCallStatus.NotAllowed, 0, id);
    }

    private static Member MemberOf(ref Utf8JsonReader reader)
    {
        // "method" is 6 characters; even with every one escaped (\u006D) it is at most 36 bytes as sent.
        long length = reader.HasValueSequence ? reader.ValueSequence.Length : reader.ValueSpan.Length;
        if (length > 64)
        {
            return Member.Other;
        }

        Span<byte> name = stackalloc byte[64];
        int written;
        if (!reader.ValueIsEscaped && !reader.HasValueSequence)
        {
            written = Copy(reader.ValueSpan, name);
        }
        else if (!TryCopy(ref reader, name, out written))
        {
            // An escape that spells no character (a lone surrogate) never spells "method" or "id".
            return Member.Other;
        }

        ReadOnlySpan<byte> text = name[..written];
        return Ascii.EqualsIgnoreCase(text, "method"u8) ? Member.Method
            : Ascii.EqualsIgnoreCase(text, "id"u8) ? Member.Id
            : Member.Other;
    }

    private static int Copy(ReadOnlySpan<byte> source, Span<byte> destination)
    {
        source.CopyTo(destination);
        return source.Length;
    }

    private static bool TryLookupMethod(ref Utf8JsonReader reader, JsonRpcMethodTable table, out JsonRpcMethodRule rule, out string historyName)
    {
        rule = default;
        historyName = JsonRpcMethodTable.DefaultCostHistoryName;
        if (reader.TokenType != JsonTokenType.String)
        {
            return false;
        }

        // UTF-16 never needs more units than the UTF-8 bytes sent, so the stack buffer always suffices.
        long length = reader.HasValueSequence ? reader.ValueSequence.Length : reader.ValueSpan.Length;
        if (length is 0 or > JsonRpcMethodPattern.MaxLength)
        {
            return false;
        }

        Span<char> method = stackalloc char[JsonRpcMethodPattern.MaxLength];
        int written;
        try
        {
            written = reader.CopyString(method);
        }
        catch (InvalidOperationException)
        {
            // Not text (invalid UTF-8, a lone surrogate escape): no method this gateway could price.
            return false;
        }

        rule = table.Lookup(method[..written], out historyName);
        return true;
    }

    private static bool TryCopy(ref Utf8JsonReader reader, scoped Span<byte> destination, out int written)
    {
        try
        {
            written = reader.CopyString(destination);
            return true;
        }
        catch (InvalidOperationException)
        {
            written = 0;
            return false;
        }
    }

    // The id as sent (valid JSON to echo back), or null when it is not a string, number or null.
    private static byte[]? IdOf(ref Utf8JsonReader reader)
    {
        if (reader.TokenType == JsonTokenType.Null)
        {
            return NullId;
        }

        if (reader.TokenType is not (JsonTokenType.String or JsonTokenType.Number))
        {
            return null;
        }

        long length = reader.HasValueSequence ? reader.ValueSequence.Length : reader.ValueSpan.Length;
        if (length > MaxIdBytes)
        {
            return null;
        }

        // A string's raw value keeps its escapes, so quoting it again gives back the exact JSON sent.
        int quotes = reader.TokenType == JsonTokenType.String ? 2 : 0;
        byte[] id = new byte[length + quotes];
        Span<byte> value = id.AsSpan(quotes / 2, (int)length);
        if (reader.HasValueSequence)
        {
            reader.ValueSequence.CopyTo(value);
        }
        else
        {
            reader.ValueSpan.CopyTo(value);
        }

        if (quotes > 0)
        {
            id[0] = (byte)'"';
            id[^1] = (byte)'"';
        }

        return id;
    }
}
