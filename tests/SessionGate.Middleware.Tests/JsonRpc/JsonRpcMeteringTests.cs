using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using SessionGate.AspNetCore.JsonRpc;
using SessionGate.AspNetCore.RateLimiting;
using SessionGate.Middleware.Tests.RateLimiting;
using SessionGate.Testing.Http;

namespace SessionGate.Middleware.Tests.JsonRpc;

/// <summary>JSON-RPC metering in-process: an endpoint with <c>.WithJsonRpcMetering()</c> behind the per-account policy.</summary>
public sealed class JsonRpcMeteringTests
{
    private const int Burst = 60;

    private static async Task<(TestGateway Gateway, List<string> Bodies)> StartAsync(int maxBodyBytes = 4096)
    {
        var bodies = new List<string>();
        TestGateway gateway = await TestGateway.StartAsync(
            new Dictionary<string, string?>
            {
                ["SessionGate:RateLimiting:Anonymous:PermitsPerMinute"] = "1",
                ["SessionGate:RateLimiting:Anonymous:Burst"] = Burst.ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["SessionGate:JsonRpc:MaxBodyBytes"] = maxBodyBytes.ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["SessionGate:JsonRpc:DefaultCost"] = "2",
                ["SessionGate:JsonRpc:Methods:eth_call"] = "26",
                ["SessionGate:JsonRpc:Methods:eth_get*"] = "10",
                ["SessionGate:JsonRpc:Disabled:0"] = "debug_*",
            },
            app =>
            {
                app.MapPost("/rpc", async (HttpContext context) =>
                    {
                        using var reader = new StreamReader(context.Request.Body, Encoding.UTF8);
                        string body = await reader.ReadToEndAsync();
                        lock (bodies)
                        {
                            bodies.Add(body);
                        }

                        return Results.Text(body, "application/json");
                    })
                    .RequireRateLimiting(SessionGatePolicyNames.PerAccount)
                    .WithJsonRpcMetering(new JsonRpcRouteMetadata { Disabled = ["eth_sendRawTransaction"], Methods = new Dictionary<string, int> { ["status"] = 3 } });
                app.MapGet("/rpc", () => "uri form").RequireRateLimiting(SessionGatePolicyNames.PerAccount).WithJsonRpcMetering();
            });
        return (gateway, bodies);
    }

    private static Task<HttpResponseMessage> PostAsync(TestGateway gateway, string json) =>
        gateway.Client.PostAsync(new Uri("/rpc", UriKind.Relative), new StringContent(json, Encoding.UTF8, "application/json"));

    private static long Remaining(HttpResponseMessage response) =>
        StructuredFieldParser.ParseList(string.Join(",", response.Headers.GetValues("RateLimit")))[0].Integer("r");

    [Fact]
    public async Task Post_SingleCall_IsForwardedUnchangedAndChargedItsMethodCost()
    {
        (TestGateway gateway, List<string> bodies) = await StartAsync();
        await using TestGateway _ = gateway;
        const string call = """{"jsonrpc":"2.0","method":"eth_call","params":[{"to":"0x1"},"latest"],"id":1}""";

        using HttpResponseMessage response = await PostAsync(gateway, call);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(call, Assert.Single(bodies));
        Assert.Equal(Burst - 26, Remaining(response));
    }

    [Fact]
    public async Task Post_Batch_IsChargedTheSumOfItsCallsInOneDecision()
    {
        (TestGateway gateway, List<string> bodies) = await StartAsync();
        await using TestGateway _ = gateway;

        // 10 (eth_get*) + 3 (route's status) + 2 (default) + 2 (a notification is charged too).
        using HttpResponseMessage response = await PostAsync(gateway, """
            [{"jsonrpc":"2.0","method":"eth_getBalance","params":["0x1","latest"],"id":"a"},
             {"jsonrpc":"2.0","method":"status","params":{},"id":2},
             {"jsonrpc":"2.0","method":"net_version","id":null},
             {"jsonrpc":"2.0","method":"web3_clientVersion"}]
            """);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Single(bodies);
        Assert.Equal(Burst - 17, Remaining(response));
    }

    [Fact]
    public async Task Post_BatchOverTheBudget_IsRefusedWholeWithJsonRpcErrorsAndChargesNothing()
    {
        (TestGateway gateway, List<string> bodies) = await StartAsync();
        await using TestGateway _ = gateway;
        using HttpResponseMessage first = await PostAsync(gateway, """{"method":"eth_call","id":0}""");
        Assert.Equal(Burst - 26, Remaining(first));

        // 26 + 10 = 36 > 34 left.
        using HttpResponseMessage refused = await PostAsync(gateway, """[{"jsonrpc":"2.0","method":"eth_call","id":1},{"jsonrpc":"2.0","method":"eth_getLogs","id":"x"},{"method":"eth_call"}]""");

        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.Equal("application/json", refused.Content.Headers.ContentType?.MediaType);
        Assert.Equal(Burst - 26, Remaining(refused));
        Assert.True(refused.Headers.RetryAfter?.Delta >= TimeSpan.FromSeconds(1));
        using JsonDocument errors = JsonDocument.Parse(await refused.Content.ReadAsStringAsync());
        JsonElement[] answers = [.. errors.RootElement.EnumerateArray()];
        Assert.Equal(["1", "\"x\""], answers.Select(a => a.GetProperty("id").GetRawText()));
        foreach (JsonElement answer in answers)
        {
            Assert.Equal("2.0", answer.GetProperty("jsonrpc").GetString());
            Assert.Equal(-32005, answer.GetProperty("error").GetProperty("code").GetInt32());
            Assert.Equal("rate_limited", answer.GetProperty("error").GetProperty("data").GetProperty("code").GetString());
            Assert.True(answer.GetProperty("error").GetProperty("data").GetProperty("retry_after").GetInt64() >= 1);
        }

        Assert.Single(bodies);

        // Nothing was taken: a call costing exactly what is left still passes, and then nothing does.
        using HttpResponseMessage exact = await PostAsync(gateway, """[{"method":"eth_getCode","id":1},{"method":"eth_getCode","id":2},{"method":"eth_getCode","id":3},{"method":"net_version","id":4},{"method":"net_version","id":5}]""");
        Assert.Equal(HttpStatusCode.OK, exact.StatusCode);
        Assert.Equal(0, Remaining(exact));
    }

    [Theory]
    [InlineData("""{"jsonrpc":"2.0","method":"debug_traceTransaction","params":["0x1"],"id":5}""")]
    [InlineData("""{"jsonrpc":"2.0","method":"eth_sendRawTransaction","params":["0x1"],"id":5}""")]
    public async Task Post_DisabledMethod_Returns403MethodNotFoundAndIsNotForwarded(string call)
    {
        (TestGateway gateway, List<string> bodies) = await StartAsync();
        await using TestGateway _ = gateway;

        using HttpResponseMessage response = await PostAsync(gateway, call);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        using JsonDocument error = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal(-32601, error.RootElement.GetProperty("error").GetProperty("code").GetInt32());
        Assert.Equal("jsonrpc_method_disabled", error.RootElement.GetProperty("error").GetProperty("data").GetProperty("code").GetString());
        Assert.Equal(5, error.RootElement.GetProperty("id").GetInt32());
        Assert.Empty(bodies);
    }

    [Theory]
    [InlineData("{\"method\":", 400, -32700)]
    [InlineData("", 400, -32700)]
    [InlineData("[]", 400, -32600)]
    [InlineData("[{\"id\":1}]", 400, -32600)]
    public async Task Post_MalformedBody_IsRefusedAndNotForwarded(string body, int status, int code)
    {
        (TestGateway gateway, List<string> bodies) = await StartAsync();
        await using TestGateway _ = gateway;

        using HttpResponseMessage response = await PostAsync(gateway, body);

        Assert.Equal(status, (int)response.StatusCode);
        using JsonDocument error = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        JsonElement first = error.RootElement.ValueKind == JsonValueKind.Array ? error.RootElement[0] : error.RootElement;
        Assert.Equal(code, first.GetProperty("error").GetProperty("code").GetInt32());
        Assert.Empty(bodies);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Post_BodyOverTheLimit_Returns413AndIsNotForwarded(bool declaredLength)
    {
        (TestGateway gateway, List<string> bodies) = await StartAsync(maxBodyBytes: 256);
        await using TestGateway _ = gateway;
        string call = $$"""{"method":"eth_call","params":["{{new string('a', 300)}}"],"id":1}""";
        HttpContent content = declaredLength
            ? new StringContent(call, Encoding.UTF8, "application/json")
            : new UnknownLengthContent(Encoding.UTF8.GetBytes(call));

        using HttpResponseMessage response = await gateway.Client.PostAsync(new Uri("/rpc", UriKind.Relative), content);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        using JsonDocument error = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal(-32600, error.RootElement.GetProperty("error").GetProperty("code").GetInt32());
        Assert.Equal("jsonrpc_body_too_large", error.RootElement.GetProperty("error").GetProperty("data").GetProperty("code").GetString());
        Assert.Empty(bodies);
    }

    [Fact]
    public async Task Get_WithoutBody_PassesWithTheRouteCost()
    {
        (TestGateway gateway, List<string> _) = await StartAsync();
        await using TestGateway disposable = gateway;

        using HttpResponseMessage response = await gateway.Client.GetAsync(new Uri("/rpc", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(Burst - 1, Remaining(response));
    }

    [Fact]
    public async Task Methods_ListsTheJsonRpcTableAndTheRoutesOwn()
    {
        (TestGateway gateway, List<string> _) = await StartAsync();
        await using TestGateway disposable = gateway;

        using JsonDocument methods = JsonDocument.Parse(await gateway.Client.GetStringAsync(new Uri(gateway.PathPrefix + "/methods", UriKind.Relative)));

        JsonElement global = methods.RootElement.GetProperty("json_rpc");
        Assert.Equal(2, global.GetProperty("default_cost").GetInt32());
        Assert.Equal(4096, global.GetProperty("max_body_bytes").GetInt32());
        Assert.Equal(["eth_call=26", "eth_get*=10"], global.GetProperty("methods").EnumerateArray().Select(m => $"{m.GetProperty("method").GetString()}={m.GetProperty("cost").GetInt32()}"));
        Assert.Equal(["debug_*"], global.GetProperty("disabled").EnumerateArray().Select(d => d.GetString()));
        Assert.Equal(JsonValueKind.Null, global.GetProperty("allowed").ValueKind);

        JsonElement route = methods.RootElement.GetProperty("methods").EnumerateArray()
            .Single(m => m.GetProperty("path").GetString() == "/rpc" && m.GetProperty("methods")[0].GetString() == "POST")
            .GetProperty("json_rpc");
        Assert.Equal(["eth_call=26", "eth_get*=10", "status=3"], route.GetProperty("methods").EnumerateArray().Select(m => $"{m.GetProperty("method").GetString()}={m.GetProperty("cost").GetInt32()}"));
        Assert.Equal(["debug_*", "eth_sendRawTransaction"], route.GetProperty("disabled").EnumerateArray().Select(d => d.GetString()));
    }

    [Fact]
    public void WithJsonRpcMetering_InvalidPattern_Throws()
    {
        var builder = new TestConventionBuilder();

        var error = Assert.Throws<ArgumentException>(() => builder.WithJsonRpcMetering(new JsonRpcRouteMetadata { Disabled = ["eth_*call"] }));

        Assert.Contains("SessionGate.JsonRpc.Disabled:0", error.Message, StringComparison.Ordinal);
    }

    // No Content-Length: the limit is enforced while reading.
    private sealed class UnknownLengthContent(byte[] bytes) : HttpContent
    {
        protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context) => stream.WriteAsync(bytes).AsTask();

        protected override bool TryComputeLength(out long length)
        {
            length = 0;
            return false;
        }
    }

    private sealed class TestConventionBuilder : IEndpointConventionBuilder
    {
        public void Add(Action<EndpointBuilder> convention)
        {
        }
    }
}
