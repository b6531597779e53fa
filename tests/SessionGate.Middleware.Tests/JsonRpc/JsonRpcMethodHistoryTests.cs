using System.Net;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using SessionGate.AspNetCore.JsonRpc;
using SessionGate.AspNetCore.RateLimiting;
using SessionGate.Usage;

namespace SessionGate.Middleware.Tests.JsonRpc;

/// <summary>
/// JSON-RPC calls feed the quota history's method top list once the limiter decided: each call of a
/// batch under the cost entry that priced it (never a client's own method name), its cost when served,
/// refused when the limiter refused, would-be refused in shadow mode.
/// </summary>
public sealed class JsonRpcMethodHistoryTests
{
    private const int Burst = 40;

    private static Task<TestGateway> StartAsync(bool shadow = false) => TestGateway.StartAsync(
        new Dictionary<string, string?>
        {
            ["SessionGate:RateLimiting:Anonymous:PermitsPerMinute"] = "1",
            ["SessionGate:RateLimiting:Anonymous:Burst"] = Burst.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["SessionGate:RateLimiting:Shadow"] = shadow ? "true" : "false",
            ["SessionGate:JsonRpc:DefaultCost"] = "2",
            ["SessionGate:JsonRpc:Methods:eth_call"] = "26",
            ["SessionGate:JsonRpc:Methods:eth_get*"] = "10",
        },
        app =>
        {
            app.MapPost("/rpc", () => Results.Text("{}", "application/json"))
                .RequireRateLimiting(SessionGatePolicyNames.PerAccount)
                .WithJsonRpcMetering();
            app.MapPost("/unlimited", () => Results.Text("{}", "application/json")).WithJsonRpcMetering();
        });

    private static async Task<HttpStatusCode> PostAsync(TestGateway gateway, string json, string path = "/rpc")
    {
        using HttpResponseMessage response = await gateway.Client.PostAsync(new Uri(path, UriKind.Relative), new StringContent(json, Encoding.UTF8, "application/json"));
        return response.StatusCode;
    }

    private static async Task<Dictionary<string, HistoryCounts>> MethodsAsync(TestGateway gateway)
    {
        UsageHistoryReport report = await gateway.App.Services.GetRequiredService<IUsageHistory>().ReadAsync(HistoryRange.OneHour, top: 100);
        Dictionary<string, HistoryCounts> methods = report.Methods.Items.ToDictionary(e => e.Name, e => e.Counts);
        if (!report.Methods.Other.IsEmpty)
        {
            methods["(other)"] = report.Methods.Other;
        }

        return methods;
    }

    [Fact]
    public async Task Post_ServedAndRefusedBatches_CountEachCallUnderItsCostEntry()
    {
        await using TestGateway gateway = await StartAsync();

        // 26 + 10 + 10 + 2 (default) = 48 > 40: refused whole; then 26 + 10 + 2 = 38 served.
        Assert.Equal(HttpStatusCode.TooManyRequests, await PostAsync(gateway, """[{"method":"eth_call","id":1},{"method":"eth_getLogs","id":2},{"method":"eth_getCode","id":3},{"method":"net_version","id":4}]"""));
        Assert.Equal(HttpStatusCode.OK, await PostAsync(gateway, """[{"method":"eth_call","id":1},{"method":"eth_getBalance","id":2},{"method":"web3_clientVersion"}]"""));

        Dictionary<string, HistoryCounts> methods = await MethodsAsync(gateway);
        Assert.Equal(new HistoryCounts(Requests: 2, Refused: 1, Cost: 26, WouldBeRefused: 0), methods["eth_call"]);
        Assert.Equal(new HistoryCounts(Requests: 3, Refused: 2, Cost: 10, WouldBeRefused: 0), methods["eth_get*"]);
        Assert.Equal(new HistoryCounts(Requests: 2, Refused: 1, Cost: 2, WouldBeRefused: 0), methods["*"]);
        Assert.Equal(3, methods.Count);
    }

    [Fact]
    public async Task Post_ShadowMode_CountsWouldBeRefusedCallsAndChargesNothingForThem()
    {
        await using TestGateway gateway = await StartAsync(shadow: true);

        Assert.Equal(HttpStatusCode.OK, await PostAsync(gateway, """[{"method":"eth_call","id":1},{"method":"eth_call","id":2}]"""));   // 52 > 40: would be refused
        Assert.Equal(HttpStatusCode.OK, await PostAsync(gateway, """{"method":"eth_call","id":3}"""));                                     // 26 fits

        Dictionary<string, HistoryCounts> methods = await MethodsAsync(gateway);
        Assert.Equal(new HistoryCounts(Requests: 3, Refused: 0, Cost: 26, WouldBeRefused: 2), Assert.Single(methods).Value);
    }

    [Fact]
    public async Task Post_ManyDistinctMethodNames_AddNoNameToTheHistory()
    {
        await using TestGateway gateway = await StartAsync();
        string batch = "[" + string.Join(",", Enumerable.Range(0, 15).Select(i => $$"""{"method":"attacker_{{i}}_{{Guid.NewGuid():N}}","id":{{i}}}""")) + "]";

        Assert.Equal(HttpStatusCode.OK, await PostAsync(gateway, batch));

        // 15 calls at the default cost: one name, the default's.
        Assert.Equal(new HistoryCounts(15, 0, 30, 0), Assert.Single(await MethodsAsync(gateway)).Value);
    }

    [Fact]
    public async Task Post_RouteWithoutTheLimiter_IsNotCounted()
    {
        await using TestGateway gateway = await StartAsync();

        Assert.Equal(HttpStatusCode.OK, await PostAsync(gateway, """{"method":"eth_call","id":1}""", "/unlimited"));

        Assert.Empty(await MethodsAsync(gateway));
    }
}
