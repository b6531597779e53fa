using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using SessionGate.Crypto;
using SessionGate.IntegrationTests.Infrastructure;
using SessionGate.IntegrationTests.Proxy;

namespace SessionGate.IntegrationTests.JsonRpc;

/// <summary>
/// The quota history's JSON-RPC method top list through the real gateway process (in memory and with
/// Redis): calls POSTed to a <c>SessionGate.JsonRpc</c> route are read back from the admin API on the
/// admin listener, each call counted under the cost entry that priced it, refused calls as refused,
/// and method names a client made up never listed.
/// </summary>
[Collection(GatewayProcessCollection.Name)]
public sealed class JsonRpcMethodHistoryGatewayTests
{
    private const string ApiKey = "5d0c4f7e9a3b21687c4e0f9d2a6b83175e9c0a4f3d7b2e6180c5f9a3d1e7b42c";

    // eth_call 26 + eth_getBalance (eth_get*) 20 = 46 is served; then 26 + 75 = 101 > 60 − 46 is refused.
    private const int Burst = 60;

    [Theory]
    [InlineData(false, null)]
    [InlineData(true, null)]
    [InlineData(false, 2)]
    [InlineData(true, 2)]
    public async Task AdminHistory_AfterJsonRpcCalls_ListsEachMethodWithItsCostsAndRefusals(bool redis, int? maxMethodsPerMinute)
    {
        await using JsonRpcEchoUpstream upstream = await JsonRpcEchoUpstream.StartAsync();
        await using RedisServer? server = redis ? await RedisServer.StartAsync() : null;
        Dictionary<string, string?> settings = TestIdentity.KeySettings();
        settings["ReverseProxy:Routes:rpc:ClusterId"] = "rpc";
        settings["ReverseProxy:Routes:rpc:Match:Path"] = "/rpc/{**rest}";
        settings["ReverseProxy:Routes:rpc:Metadata:SessionGate.RequireSession"] = "true";
        settings["ReverseProxy:Routes:rpc:Metadata:SessionGate.JsonRpc"] = "true";
        settings["ReverseProxy:Clusters:rpc:Destinations:d1:Address"] = upstream.Address.ToString();
        settings["SessionGate:JsonRpc:Methods:eth_call"] = "26";
        settings["SessionGate:JsonRpc:Methods:eth_getLogs"] = "75";
        settings["SessionGate:JsonRpc:Methods:eth_get*"] = "20";
        settings["SessionGate:RateLimiting:Tiers:0:Name"] = "tiny";
        settings["SessionGate:RateLimiting:Tiers:0:MinBalance"] = "0";
        settings["SessionGate:RateLimiting:Tiers:0:PermitsPerMinute"] = "1";
        settings["SessionGate:RateLimiting:Tiers:0:Burst"] = Burst.ToString(System.Globalization.CultureInfo.InvariantCulture);
        settings["SessionGate:Admin:ApiKey"] = ApiKey;
        if (maxMethodsPerMinute is { } cap)
        {
            settings["SessionGate:History:MaxMethodsPerMinute"] = cap.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }
        if (server is not null)
        {
            settings["SessionGate:Redis"] = server.Configuration;
            settings["SessionGate:RedisKeyPrefix"] = $"test-{Guid.NewGuid():N}:";
            settings["SessionGate:RedisTimeout"] = "00:00:02";
        }

        await using GatewayProcess gateway = await GatewayProcess.StartAsync(settings);
        using Sr25519KeyPair key = TestIdentity.Key();
        using HttpClient client = TestIdentity.SignedClient(key, gateway.Address);

        // Right after start the gateway may not have a recent block to check signatures against yet
        // (401 before the limiter and the metering: neither charged nor counted): retry until served.
        await Eventually.HoldsAsync(
            async () =>
            {
                using HttpResponseMessage served = await PostAsync(client, """[{"jsonrpc":"2.0","method":"eth_call","id":1},{"jsonrpc":"2.0","method":"eth_getBalance","id":2}]""");
                return served.StatusCode == HttpStatusCode.OK;
            },
            TimeSpan.FromSeconds(30),
            "the first batch served");

        using (HttpResponseMessage refused = await PostAsync(client, """[{"jsonrpc":"2.0","method":"eth_call","id":3},{"jsonrpc":"2.0","method":"eth_getLogs","id":4},{"jsonrpc":"2.0","method":"made_up_1f9e","id":5}]"""))
        {
            Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        }

        using var admin = new HttpClient { BaseAddress = gateway.AdminAddress ?? throw new InvalidOperationException("no admin listener") };
        admin.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", ApiKey);
        Dictionary<string, (long Requests, long Refused, long Cost, long WouldBeRefused)> methods = [];
        long other = 0;
        await Eventually.HoldsAsync(
            async () =>
            {
                using JsonDocument history = JsonDocument.Parse(await admin.GetStringAsync(new Uri("/_sessiongate/admin/usage/history?range=1h&top=100", UriKind.Relative)));
                methods = history.RootElement.GetProperty("top").GetProperty("methods").GetProperty("items").EnumerateArray().ToDictionary(
                    m => m.GetProperty("name").GetString()!,
                    m => (m.GetProperty("requests").GetInt64(), m.GetProperty("refused").GetInt64(), m.GetProperty("cost").GetInt64(), m.GetProperty("wouldBeRefused").GetInt64()));
                other = history.RootElement.GetProperty("top").GetProperty("methods").GetProperty("other").GetProperty("requests").GetInt64();
                return methods.Values.Sum(m => m.Requests) + other == 5;
            },
            TimeSpan.FromSeconds(30),
            "the five calls reach the history (with Redis after its 5-second flush)");

        if (maxMethodsPerMinute is null)
        {
            Assert.Equal((2L, 1L, 26L, 0L), methods["eth_call"]);
            Assert.Equal((1L, 0L, 20L, 0L), methods["eth_get*"]);
            Assert.Equal((1L, 1L, 0L, 0L), methods["eth_getLogs"]);
            Assert.Equal((1L, 1L, 0L, 0L), methods["*"]);   // made_up_1f9e: the default cost's entry, never its own name
            Assert.Equal(4, methods.Count);
            Assert.Equal(0, other);
        }
        else
        {
            // SessionGate:History:MaxMethodsPerMinute = 2 in the real process: two of the four entries
            // are named (which two depends on the recorder's stripes), the others' calls count as other.
            Assert.Equal(2, methods.Count);
            Assert.All(methods.Keys, name => Assert.Contains(name, new[] { "eth_call", "eth_get*", "eth_getLogs", "*" }));
            Assert.Equal(5 - methods.Values.Sum(m => m.Requests), other);
            Assert.True(other >= 1, "the entries beyond the cap count as other");
        }
    }

    private static Task<HttpResponseMessage> PostAsync(HttpClient client, string json) =>
        client.PostAsync(new Uri("/rpc/", UriKind.Relative), new StringContent(json, Encoding.UTF8, "application/json"));
}
