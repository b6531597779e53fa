using System.Text;
using SessionGate.JsonRpc;
using static SessionGate.Tests.JsonRpc.JsonRpcBodies;

namespace SessionGate.Tests.JsonRpc;

public sealed class JsonRpcParserTests
{
    [Fact]
    public void Parse_TendermintStatusCall_IsOneCallWithItsCostAndId()
    {
        JsonRpcBody body = Parse("""{"jsonrpc":"2.0","method":"status","params":{},"id":1}""");

        Assert.Equal(JsonRpcBodyStatus.Ok, body.Status);
        Assert.False(body.IsBatch);
        JsonRpcCall call = Assert.Single(body.Calls);
        Assert.Equal(3, call.Cost);
        Assert.Equal("1", IdText(call));
        Assert.Equal(3, body.TotalCost);
    }

    [Fact]
    public void Parse_Calls_AreNamedForTheHistoryByTheCostEntryThatPricedThem()
    {
        JsonRpcBody body = Parse("""
            [{"method":"eth_call","id":1},{"method":"eth_getCode","id":2},{"method":"eth_getBlockByHash","id":3},{"method":"some_unknown_\u006dethod","id":4}]
            """);

        Assert.Equal(JsonRpcBodyStatus.Ok, body.Status);
        Assert.Equal(["eth_call", "eth_get*", "eth_getBlock*", JsonRpcMethodTable.DefaultCostHistoryName], body.Calls.Select(c => c.HistoryName));
    }

    [Fact]
    public void Parse_EthereumCallWithParamsArrayAndStringId_IsChargedItsExactCost()
    {
        JsonRpcBody body = Parse("""
            {"jsonrpc":"2.0","id":"a\"b\u00e9","method":"eth_call","params":[{"to":"0x00","data":"0x"},"latest",{"nested":[[1,2],{"x":null}]}]}
            """);

        Assert.Equal(JsonRpcBodyStatus.Ok, body.Status);
        Assert.Equal(26, body.TotalCost);

        // The id comes back exactly as sent, escapes and all.
        Assert.Equal("\"a\\\"b\\u00e9\"", IdText(body.Calls[0]));
    }

    [Fact]
    public void Parse_Batch_CostsTheSumOfItsCalls()
    {
        JsonRpcBody body = Parse("""
            [{"jsonrpc":"2.0","method":"eth_blockNumber","id":1},
             {"jsonrpc":"2.0","method":"eth_getLogs","params":[{}],"id":2},
             {"jsonrpc":"2.0","method":"eth_getBalance","params":["0x1","latest"],"id":null},
             {"jsonrpc":"2.0","method":"eth_getBlockByNumber","params":["latest",false]},
             {"jsonrpc":"2.0","method":"net_version","id":"x"}]
            """);

        Assert.Equal(JsonRpcBodyStatus.Ok, body.Status);
        Assert.True(body.IsBatch);
        Assert.Equal([10, 75, 20, 16, 1], body.Calls.Select(c => c.Cost));
        Assert.Equal(122, body.TotalCost);
        Assert.Equal(["1", "2", "null", "<none>", "\"x\""], body.Calls.Select(IdText));
        Assert.True(body.Calls[3].IsNotification);
    }

    [Theory]
    [InlineData("eth_getLogs", 75)] // exact beats every prefix
    [InlineData("eth_getBlockByHash", 16)] // the longest prefix wins
    [InlineData("eth_getCode", 20)]
    [InlineData("eth_get", 20)] // a prefix matches the bare prefix too
    [InlineData("eth_ge", 1)]
    [InlineData("ETH_CALL", 1)] // method names are case-sensitive
    [InlineData("web3_clientVersion", 1)]
    public void Parse_MethodCost_ExactThenLongestPrefixThenDefault(string method, int cost)
    {
        Assert.Equal(cost, Parse($$"""{"method":"{{method}}","id":1}""").TotalCost);
    }

    [Fact]
    public void Parse_EscapedMethodName_IsChargedAsTheNameItSpells()
    {
        Assert.Equal(26, Parse("""{"method":"eth\u005fcall","id":1}""").TotalCost);
    }

    [Theory]
    [InlineData("debug_traceTransaction")]
    [InlineData("admin_addPeer")]
    public void Parse_DisabledMethod_IsNotAllowed(string method)
    {
        JsonRpcBody body = Parse($$"""{"jsonrpc":"2.0","method":"{{method}}","id":7}""");

        Assert.Equal(JsonRpcBodyStatus.CallsRefused, body.Status);
        Assert.Equal(JsonRpcCallStatus.NotAllowed, body.Calls[0].Status);
        Assert.Equal(0, body.TotalCost);
    }

    [Fact]
    public void Parse_AllowedList_LetsOnlyItsMethodsThrough()
    {
        JsonRpcMethodTable table = Table(allowed: ["eth_*", "net_version"]);

        Assert.Equal(JsonRpcBodyStatus.Ok, Parse("""{"method":"net_version","id":1}""", table).Status);
        Assert.Equal(JsonRpcBodyStatus.Ok, Parse("""{"method":"eth_chainId","id":1}""", table).Status);
        Assert.Equal(JsonRpcBodyStatus.CallsRefused, Parse("""{"method":"net_peerCount","id":1}""", table).Status);
    }

    [Fact]
    public void Parse_BatchWithOneDisabledCall_RefusesTheWholeBatch()
    {
        JsonRpcBody body = Parse("""[{"method":"eth_call","id":1},{"method":"debug_x","id":2},{"method":"eth_call"}]""");

        Assert.Equal(JsonRpcBodyStatus.CallsRefused, body.Status);
        Assert.Equal([JsonRpcCallStatus.Ok, JsonRpcCallStatus.NotAllowed, JsonRpcCallStatus.Ok], body.Calls.Select(c => c.Status));
        Assert.Equal(0, body.TotalCost);
    }

    // Go's encoding/json (geth, CometBFT) matches member names case-insensitively and lets the last
    // duplicate win: a second "method" in any spelling must never be charged as the first.
    [Theory]
    [InlineData("""{"method":"net_version","Method":"eth_getLogs","id":1}""")]
    [InlineData("""{"method":"net_version","METHOD":"eth_getLogs","id":1}""")]
    [InlineData("""{"method":"net_version","\u006dethod":"eth_getLogs","id":1}""")]
    [InlineData("""{"method":"net_version","method":"eth_getLogs","id":1}""")]
    [InlineData("""{"method":"eth_call","id":1,"ID":2}""")]
    [InlineData("""{"id":1}""")]
    [InlineData("""{"method":5,"id":1}""")]
    [InlineData("""{"method":null,"id":1}""")]
    [InlineData("""{"method":["eth_call"],"id":1}""")]
    [InlineData("""{"method":"","id":1}""")]
    [InlineData("""{"method":"eth_call","id":{"a":1}}""")]
    [InlineData("""{"method":"eth_call","id":[1]}""")]
    [InlineData("""{"method":"eth_call","id":true}""")]
    public void Parse_InvalidCall_IsRefusedAsInvalid(string json)
    {
        JsonRpcBody body = Parse(json);

        Assert.Equal(JsonRpcBodyStatus.CallsRefused, body.Status);
        Assert.Equal(JsonRpcCallStatus.Invalid, Assert.Single(body.Calls).Status);
        Assert.NotNull(body.Calls[0].Id); // answered, with the id when it could be read, else null
    }

    [Fact]
    public void Parse_OtherMembersCaseInsensitivelyNamedLikeNothing_AreIgnored()
    {
        JsonRpcBody body = Parse("""{"jsonrpc":"2.0","methods":"debug_x","identifier":{},"method":"eth_call","id":1}""");

        Assert.Equal(JsonRpcBodyStatus.Ok, body.Status);
        Assert.Equal(26, body.TotalCost);
    }

    [Fact]
    public void Parse_MethodLongerThanTheLimit_IsInvalid()
    {
        string method = new('a', JsonRpcMethodPattern.MaxLength + 1);
        Assert.Equal(JsonRpcCallStatus.Invalid, Parse($$"""{"method":"{{method}}","id":1}""").Calls[0].Status);
        Assert.Equal(JsonRpcBodyStatus.Ok, Parse($$"""{"method":"{{method[1..]}}","id":1}""").Status);
    }

    [Fact]
    public void Parse_IdLongerThanTheLimit_IsInvalid()
    {
        string id = new('1', JsonRpcParser.MaxIdBytes + 1);
        Assert.Equal(JsonRpcCallStatus.Invalid, Parse($$"""{"method":"eth_call","id":{{id}}}""").Calls[0].Status);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("{")]
    [InlineData("[")]
    [InlineData("[{\"method\":\"eth_call\",\"id\":1}")]
    [InlineData("{\"method\":\"eth_call\",\"id\":1} x")]
    [InlineData("{\"method\":\"eth_call\",\"id\":1}{\"method\":\"eth_call\"}")]
    [InlineData("[{\"method\":\"eth_call\"},]")]
    [InlineData("{'method':'eth_call'}")]
    [InlineData("{\"method\":\"eth_call\" /* c */}")]
    [InlineData("{\"method\":\"eth_call\",\"id\":01}")]
    [InlineData("{\"method\":\"eth_call\",\"id\":1,}")]
    [InlineData("nul")]
    public void Parse_MalformedJson_IsAParseError(string json)
    {
        JsonRpcBody body = Parse(json);

        Assert.Equal(JsonRpcBodyStatus.ParseError, body.Status);
        Assert.Empty(body.Calls);
    }

    [Fact]
    public void Parse_InvalidUtf8InMethod_IsAnInvalidCall()
    {
        byte[] body = [.. "{\"method\":\"eth_"u8, 0xC3, 0x28, .. "\",\"id\":1}"u8];

        Assert.Equal(JsonRpcCallStatus.Invalid, JsonRpcParser.Parse(body, Table(), 10).Calls[0].Status);
    }

    [Theory]
    [InlineData("""{"method":"eth_\ud800","id":1}""")]
    [InlineData("""{"method":"eth_call","\udc00d":1,"id":1}""")]
    public void Parse_LoneSurrogateEscape_IsNeverACrash(string json)
    {
        JsonRpcBody body = Parse(json);

        Assert.NotEqual(JsonRpcBodyStatus.ParseError, body.Status);
    }

    [Theory]
    [InlineData("[]")]
    [InlineData("1")]
    [InlineData("\"eth_call\"")]
    [InlineData("null")]
    [InlineData("true")]
    public void Parse_NeitherCallNorBatch_IsAnInvalidRequest(string json)
    {
        Assert.Equal(JsonRpcBodyStatus.InvalidRequest, Parse(json).Status);
    }

    [Fact]
    public void Parse_BatchOfNonObjects_AnswersEachWithIdNull()
    {
        JsonRpcBody body = Parse("[1,\"x\",[2],{\"method\":\"eth_call\",\"id\":9}]");

        Assert.Equal(JsonRpcBodyStatus.CallsRefused, body.Status);
        Assert.Equal(["null", "null", "null", "9"], body.Calls.Select(IdText));
        Assert.Equal([JsonRpcCallStatus.Invalid, JsonRpcCallStatus.Invalid, JsonRpcCallStatus.Invalid, JsonRpcCallStatus.Ok], body.Calls.Select(c => c.Status));
    }

    [Fact]
    public void Parse_BatchLargerThanTheLimit_IsRefusedWhole()
    {
        string batch = "[" + string.Join(",", Enumerable.Repeat("""{"method":"eth_call","id":1}""", 11)) + "]";

        Assert.Equal(JsonRpcBodyStatus.BatchTooLarge, Parse(batch, maxBatchSize: 10).Status);
        Assert.Equal(JsonRpcBodyStatus.Ok, Parse(batch, maxBatchSize: 11).Status);
    }

    [Fact]
    public void Parse_DeeplyNestedParams_AreAParseErrorNotACrash()
    {
        string deep = new string('[', 10_000) + new string(']', 10_000);

        Assert.Equal(JsonRpcBodyStatus.ParseError, Parse($$"""{"method":"eth_call","params":{{deep}},"id":1}""").Status);
    }

    [Fact]
    public void Parse_BodySplitIntoOneByteSegments_DecidesAsWhenContiguous()
    {
        byte[] bytes = Encoding.UTF8.GetBytes("""
            [{"jsonrpc":"2.0","method":"eth_getLogs","params":[{"topics":["0xabc"]}],"id":"q\u0041"},
             {"jsonrpc":"2.0","method":"eth\u005fcall","id":12345678901234567890},
             {"jsonrpc":"2.0","method":"status","params":{}}]
            """);

        JsonRpcBody body = JsonRpcParser.Parse(Segmented(bytes, Enumerable.Range(1, bytes.Length)), Table(), 10);

        Assert.Equal(JsonRpcBodyStatus.Ok, body.Status);
        Assert.Equal(75 + 26 + 3, body.TotalCost);
        Assert.Equal(["\"q\\u0041\"", "12345678901234567890", "<none>"], body.Calls.Select(IdText));
    }
}
