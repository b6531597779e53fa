using System.Net;
using System.Text;
using System.Text.Json;
using SessionGate.Crypto;
using SessionGate.IntegrationTests.Infrastructure;
using SessionGate.IntegrationTests.Proxy;

namespace SessionGate.IntegrationTests.JsonRpc;

/// <summary>
/// JSON-RPC metering in the real gateway process (<c>sessiongate serve</c>, a YARP route with
/// <c>SessionGate.JsonRpc</c> = <c>true</c>) in front of a JSON-RPC echo upstream, with the quota in
/// memory and in Redis: exact charges, an over-budget batch refused whole, disabled methods,
/// malformed and oversize bodies.
/// </summary>
[Collection(GatewayProcessCollection.Name)]
public sealed class JsonRpcGatewayTests
{
    // Ten mixed calls: 26 + 75 + 20 + 10 + 3 + 1 + 16 + 26 + 1 + 1 = 179 units.
    private const string MixedBatch = """
        [{"jsonrpc":"2.0","method":"eth_call","params":[{"to":"0x0000000000000000000000000000000000000001","data":"0x"},"latest"],"id":1},
         {"jsonrpc":"2.0","method":"eth_getLogs","params":[{"fromBlock":"0x1","toBlock":"latest","topics":[]}],"id":2},
         {"jsonrpc":"2.0","method":"eth_getBalance","params":["0x0000000000000000000000000000000000000002","latest"],"id":"three"},
         {"jsonrpc":"2.0","method":"eth_blockNumber","params":[],"id":4},
         {"jsonrpc":"2.0","method":"status","params":{},"id":5},
         {"jsonrpc":"2.0","method":"net_version","params":[],"id":null},
         {"jsonrpc":"2.0","method":"eth_getBlockByNumber","params":["latest",false],"id":7},
         {"jsonrpc":"2.0","method":"eth_call","params":[{"to":"0x0000000000000000000000000000000000000003"},"latest"],"id":8},
         {"jsonrpc":"2.0","method":"web3_clientVersion","params":[]},
         {"jsonrpc":"2.0","method":"eth_chainId","params":[],"id":10}]
        """;

    private const int MixedBatchCost = 179;

    // Charged before the batch: a Tendermint call (3) and an Ethereum call (26); then the budget is
    // 7 units short of the batch.
    private const int Burst = 3 + 26 + MixedBatchCost - 7;

    private static Dictionary<string, string?> Settings(Uri upstream)
    {
        Dictionary<string, string?> settings = TestIdentity.KeySettings();
        settings["ReverseProxy:Routes:rpc:ClusterId"] = "rpc";
        settings["ReverseProxy:Routes:rpc:Match:Path"] = "/rpc/{**rest}";
        settings["ReverseProxy:Routes:rpc:Metadata:SessionGate.RequireSession"] = "true";
        settings["ReverseProxy:Routes:rpc:Metadata:SessionGate.JsonRpc"] = "true";
        settings["ReverseProxy:Routes:rpc:Metadata:SessionGate.JsonRpc.Disabled"] = "eth_sendRawTransaction,debug_*";
        settings["ReverseProxy:Routes:rpc:Metadata:SessionGate.JsonRpc.Methods"] = "status=3";
        settings["ReverseProxy:Clusters:rpc:Destinations:d1:Address"] = upstream.ToString();
        settings["SessionGate:JsonRpc:MaxBodyBytes"] = "4096";
        settings["SessionGate:JsonRpc:Methods:eth_call"] = "26";
        settings["SessionGate:JsonRpc:Methods:eth_getLogs"] = "75";
        settings["SessionGate:JsonRpc:Methods:eth_get*"] = "20";
        settings["SessionGate:JsonRpc:Methods:eth_getBlock*"] = "16";
        settings["SessionGate:JsonRpc:Methods:eth_blockNumber"] = "10";
        settings["SessionGate:RateLimiting:Tiers:0:Name"] = "tiny";
        settings["SessionGate:RateLimiting:Tiers:0:MinBalance"] = "0";
        settings["SessionGate:RateLimiting:Tiers:0:PermitsPerMinute"] = "1";
        settings["SessionGate:RateLimiting:Tiers:0:Burst"] = Burst.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return settings;
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Gateway_JsonRpcRoute_ChargesEachCallExactlyAndDecidesABatchAllOrNothing(bool redis)
    {
        await using JsonRpcEchoUpstream upstream = await JsonRpcEchoUpstream.StartAsync();
        await using RedisServer? server = redis ? await RedisServer.StartAsync() : null;
        Dictionary<string, string?> settings = Settings(upstream.Address);
        if (server is not null)
        {
            settings["SessionGate:Redis"] = server.Configuration;
            settings["SessionGate:RedisKeyPrefix"] = $"test-{Guid.NewGuid():N}:";
            settings["SessionGate:RedisTimeout"] = "00:00:02";
        }

        await using GatewayProcess gateway = await GatewayProcess.StartAsync(settings);
        using Sr25519KeyPair key = TestIdentity.Key();
        using HttpClient client = TestIdentity.SignedClient(key, gateway.Address);

        // A Tendermint RPC call: forwarded byte for byte, charged 3.
        const string status = """{"jsonrpc":"2.0","method":"status","params":{},"id":1}""";
        using HttpResponseMessage tendermint = await PostAsync(client, status);
        Assert.Equal(HttpStatusCode.OK, tendermint.StatusCode);
        Assert.Equal("""{"jsonrpc":"2.0","result":{"method":"status"},"id":1}""", await tendermint.Content.ReadAsStringAsync());
        Assert.Equal(status, upstream.Bodies.Last());
        Assert.Equal(Burst - 3, Remaining(tendermint));

        // An Ethereum call with a string id: charged 26.
        using HttpResponseMessage ethereum = await PostAsync(client, """{"jsonrpc":"2.0","method":"eth_call","params":[{"to":"0x1"},"latest"],"id":"q-1"}""");
        Assert.Equal(HttpStatusCode.OK, ethereum.StatusCode);
        Assert.Equal(Burst - 29, Remaining(ethereum));

        // The batch costs 7 more than is left: refused whole, one -32005 per answered call, nothing charged, nothing forwarded.
        int forwarded = upstream.Bodies.Count;
        using HttpResponseMessage refused = await PostAsync(client, MixedBatch);
        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.Equal(Burst - 29, Remaining(refused));
        Assert.True(refused.Headers.RetryAfter?.Delta >= TimeSpan.FromSeconds(1));
        Assert.StartsWith("\"tiny\"", refused.Headers.GetValues("RateLimit-Policy").Single(), StringComparison.Ordinal);
        using (JsonDocument errors = JsonDocument.Parse(await refused.Content.ReadAsStringAsync()))
        {
            JsonElement[] answers = [.. errors.RootElement.EnumerateArray()];
            Assert.Equal(["1", "2", "\"three\"", "4", "5", "null", "7", "8", "10"], answers.Select(a => a.GetProperty("id").GetRawText()));
            Assert.All(answers, a =>
            {
                Assert.Equal("2.0", a.GetProperty("jsonrpc").GetString());
                Assert.Equal(-32005, a.GetProperty("error").GetProperty("code").GetInt32());
                Assert.Equal("rate_limited", a.GetProperty("error").GetProperty("data").GetProperty("code").GetString());
                Assert.Equal((long)refused.Headers.RetryAfter!.Delta!.Value.TotalSeconds, a.GetProperty("error").GetProperty("data").GetProperty("retry_after").GetInt64());
            });
        }

        Assert.Equal(forwarded, upstream.Bodies.Count);

        // Nothing was taken: a batch of exactly what is left (75 + 75 + 22 × eth_chainId at 1 = 172) fits, and leaves 0.
        string exact = "[" + string.Join(",", ["""{"jsonrpc":"2.0","method":"eth_getLogs","id":1}""", """{"jsonrpc":"2.0","method":"eth_getLogs","id":2}""",
            .. Enumerable.Range(3, Burst - 29 - 150).Select(i => $$"""{"jsonrpc":"2.0","method":"eth_chainId","id":{{i}}}""")]) + "]";
        using HttpResponseMessage fits = await PostAsync(client, exact);
        Assert.Equal(HttpStatusCode.OK, fits.StatusCode);
        Assert.Equal(0, Remaining(fits));
        Assert.Equal(exact, upstream.Bodies.Last());
        using (JsonDocument results = JsonDocument.Parse(await fits.Content.ReadAsStringAsync()))
        {
            Assert.Equal(Burst - 29 - 150 + 2, results.RootElement.GetArrayLength());
        }

        // And now a single unit is refused, as one JSON-RPC error object (not an array).
        using HttpResponseMessage empty = await PostAsync(client, """{"jsonrpc":"2.0","method":"net_version","id":99}""");
        Assert.Equal(HttpStatusCode.TooManyRequests, empty.StatusCode);
        using JsonDocument single = JsonDocument.Parse(await empty.Content.ReadAsStringAsync());
        Assert.Equal(99, single.RootElement.GetProperty("id").GetInt32());
        Assert.Equal(-32005, single.RootElement.GetProperty("error").GetProperty("code").GetInt32());
    }

    [Fact]
    public async Task Gateway_JsonRpcRoute_RefusesDisabledMalformedAndOversizeBodiesWithoutForwarding()
    {
        await using JsonRpcEchoUpstream upstream = await JsonRpcEchoUpstream.StartAsync();
        await using GatewayProcess gateway = await GatewayProcess.StartAsync(Settings(upstream.Address));
        using Sr25519KeyPair key = TestIdentity.Key();
        using HttpClient client = TestIdentity.SignedClient(key, gateway.Address);

        // A disabled method, alone and inside a batch: 403, -32601 for it, the batch refused whole.
        using HttpResponseMessage disabled = await PostAsync(client, """{"jsonrpc":"2.0","method":"eth_sendRawTransaction","params":["0x00"],"id":1}""");
        Assert.Equal(HttpStatusCode.Forbidden, disabled.StatusCode);
        Assert.Equal(-32601, (await ErrorsAsync(disabled))[0].Code);
        using HttpResponseMessage mixed = await PostAsync(client, """[{"jsonrpc":"2.0","method":"eth_call","id":1},{"jsonrpc":"2.0","method":"debug_traceTransaction","params":["0x1"],"id":2}]""");
        Assert.Equal(HttpStatusCode.Forbidden, mixed.StatusCode);
        Assert.Equal([(-32600, "jsonrpc_batch_refused"), (-32601, "jsonrpc_method_disabled")], await ErrorsAsync(mixed));

        // Malformed bodies: parse error and invalid requests.
        using HttpResponseMessage broken = await PostAsync(client, """{"jsonrpc":"2.0","method":"eth_call","id":1""");
        Assert.Equal(HttpStatusCode.BadRequest, broken.StatusCode);
        Assert.Equal([(-32700, "jsonrpc_parse_error")], await ErrorsAsync(broken));
        using HttpResponseMessage invalid = await PostAsync(client, """[{"jsonrpc":"2.0","id":1},7]""");
        Assert.Equal(HttpStatusCode.BadRequest, invalid.StatusCode);
        Assert.Equal([(-32600, "jsonrpc_invalid_request"), (-32600, "jsonrpc_invalid_request")], await ErrorsAsync(invalid));

        // A body over SessionGate:JsonRpc:MaxBodyBytes (4096).
        using HttpResponseMessage oversize = await PostAsync(client, $$"""{"jsonrpc":"2.0","method":"eth_call","params":["0x{{new string('0', 5000)}}"],"id":1}""");
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, oversize.StatusCode);
        Assert.Equal([(-32600, "jsonrpc_body_too_large")], await ErrorsAsync(oversize));

        Assert.Empty(upstream.Bodies);

        // A refused header stays a problem document: the body is never read for it.
        using HttpResponseMessage anonymous = await gateway.Client.PostAsync(new Uri("/rpc/", UriKind.Relative), new StringContent("{", Encoding.UTF8, "application/json"));
        await ProblemAssert.IsProblemAsync(anonymous, HttpStatusCode.Unauthorized, "session_required");

        // /methods lists the route's JSON-RPC table.
        using JsonDocument methods = JsonDocument.Parse(await gateway.Client.GetStringAsync(new Uri("/_sessiongate/methods", UriKind.Relative)));
        JsonElement route = methods.RootElement.GetProperty("methods").EnumerateArray().Single(m => m.TryGetProperty("json_rpc", out _)).GetProperty("json_rpc");
        Assert.Contains(route.GetProperty("methods").EnumerateArray(), m => m.GetProperty("method").GetString() == "status" && m.GetProperty("cost").GetInt32() == 3);
        Assert.Equal(["debug_*", "eth_sendRawTransaction"], route.GetProperty("disabled").EnumerateArray().Select(d => d.GetString()));
        Assert.Equal(4096, methods.RootElement.GetProperty("json_rpc").GetProperty("max_body_bytes").GetInt32());
    }

    private static Task<HttpResponseMessage> PostAsync(HttpClient client, string json) =>
        client.PostAsync(new Uri("/rpc/", UriKind.Relative), new StringContent(json, Encoding.UTF8, "application/json"));

    private static long Remaining(HttpResponseMessage response)
    {
        // RateLimit: "tiny";r=<remaining>;t=<seconds>
        string value = response.Headers.GetValues("RateLimit").Single();
        int start = value.IndexOf(";r=", StringComparison.Ordinal) + 3;
        int end = value.IndexOf(';', start);
        return long.Parse(value[start..(end < 0 ? value.Length : end)], System.Globalization.CultureInfo.InvariantCulture);
    }

    private static async Task<List<(int Code, string? ProblemCode)>> ErrorsAsync(HttpResponseMessage response)
    {
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        using JsonDocument document = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        JsonElement[] answers = document.RootElement.ValueKind == JsonValueKind.Array ? [.. document.RootElement.EnumerateArray()] : [document.RootElement];
        return [.. answers.Select(a => (a.GetProperty("error").GetProperty("code").GetInt32(), a.GetProperty("error").GetProperty("data").GetProperty("code").GetString()))];
    }
}
