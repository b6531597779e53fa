using System.Buffers;
using System.Text;
using System.Text.Json;
using SessionGate.JsonRpc;
using static SessionGate.Tests.JsonRpc.JsonRpcBodies;

namespace SessionGate.Tests.JsonRpc;

public sealed class JsonRpcErrorsTests
{
    [Fact]
    public void WriteRefusal_ParseError_IsOneErrorWithIdNull()
    {
        (bool any, string json) = Write(w => JsonRpcErrors.WriteRefusal(w, Parse("{oops")));

        Assert.True(any);
        using JsonDocument document = JsonDocument.Parse(json);
        JsonElement root = document.RootElement;
        Assert.Equal("2.0", root.GetProperty("jsonrpc").GetString());
        Assert.Equal(-32700, root.GetProperty("error").GetProperty("code").GetInt32());
        Assert.Equal("jsonrpc_parse_error", root.GetProperty("error").GetProperty("data").GetProperty("code").GetString());
        Assert.Equal(JsonValueKind.Null, root.GetProperty("id").ValueKind);
    }

    [Fact]
    public void WriteRefusal_BatchWithDisabledAndInvalidCalls_AnswersEachCallButNotNotifications()
    {
        JsonRpcBody body = Parse("""[{"method":"eth_call","id":"a"},{"method":"debug_x","id":2},{"method":"eth_call"},{"id":3},5]""");

        (bool any, string json) = Write(w => JsonRpcErrors.WriteRefusal(w, body));

        Assert.True(any);
        using JsonDocument document = JsonDocument.Parse(json);
        JsonElement[] answers = [.. document.RootElement.EnumerateArray()];
        Assert.Equal(["\"a\"", "2", "3", "null"], answers.Select(a => a.GetProperty("id").GetRawText()));
        Assert.Equal([-32600, -32601, -32600, -32600], answers.Select(a => a.GetProperty("error").GetProperty("code").GetInt32()));
        Assert.Equal(
            ["jsonrpc_batch_refused", "jsonrpc_method_disabled", "jsonrpc_invalid_request", "jsonrpc_invalid_request"],
            answers.Select(a => a.GetProperty("error").GetProperty("data").GetProperty("code").GetString()));
    }

    [Fact]
    public void WriteForEveryCall_RateRefusal_CarriesProblemCodeAndRetryAfterPerCall()
    {
        JsonRpcBody body = Parse("""[{"method":"eth_call","id":1},{"method":"status","id":"two"}]""");
        var error = new JsonRpcError(JsonRpcErrors.LimitExceeded, "Rate limit exceeded", "rate_limited", 42);

        (bool any, string json) = Write(w => JsonRpcErrors.WriteForEveryCall(w, body, error));

        Assert.True(any);
        using JsonDocument document = JsonDocument.Parse(json);
        foreach (JsonElement answer in document.RootElement.EnumerateArray())
        {
            JsonElement e = answer.GetProperty("error");
            Assert.Equal(-32005, e.GetProperty("code").GetInt32());
            Assert.Equal("rate_limited", e.GetProperty("data").GetProperty("code").GetString());
            Assert.Equal(42, e.GetProperty("data").GetProperty("retry_after").GetInt64());
        }

        Assert.Equal(["1", "\"two\""], document.RootElement.EnumerateArray().Select(a => a.GetProperty("id").GetRawText()));
    }

    [Fact]
    public void WriteForEveryCall_SingleCall_IsAnObjectNotAnArray()
    {
        (_, string json) = Write(w => JsonRpcErrors.WriteForEveryCall(w, Parse("""{"method":"status","id":1}"""), new JsonRpcError(-32005, "m", "rate_limited", 1)));

        using JsonDocument document = JsonDocument.Parse(json);
        Assert.Equal(JsonValueKind.Object, document.RootElement.ValueKind);
    }

    [Theory]
    [InlineData("""{"method":"eth_call"}""")]
    [InlineData("""[{"method":"eth_call"},{"method":"status"}]""")]
    public void WriteForEveryCall_OnlyNotifications_WritesNothing(string json)
    {
        (bool any, string written) = Write(w => JsonRpcErrors.WriteForEveryCall(w, Parse(json), new JsonRpcError(-32005, "m", "rate_limited", 1)));

        Assert.False(any);
        Assert.Equal("", written);
    }

    private static (bool Any, string Json) Write(Func<Utf8JsonWriter, bool> write)
    {
        var buffer = new ArrayBufferWriter<byte>();
        bool any;
        using (var writer = new Utf8JsonWriter(buffer))
        {
            any = write(writer);
        }

        return (any, Encoding.UTF8.GetString(buffer.WrittenSpan));
    }
}
