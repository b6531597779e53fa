using System.Net;
using System.Net.Http.Headers;
using System.Text;
using SessionGate.IntegrationTests.Gateway;
using SessionGate.IntegrationTests.Infrastructure;
using SessionGate.IntegrationTests.RateLimiting;
using SessionGate.Protocol;

namespace SessionGate.IntegrationTests.Admin;

/// <summary>Redis refusing writes (memory limit reached under noeviction) is a 503 store_unavailable, never a 500.</summary>
public sealed class AdminStoreFailureTests
{
    private const string ApiKey = "9c7252b670e817eef5a120e93ea13962704a19b3b3738a214fb9654fe7d8ca12";

    [Fact]
    public async Task Grant_RedisOutOfMemory_Returns503StoreUnavailable()
    {
        await using RedisServer redis = await RedisServer.StartAsync("--maxmemory-policy", "noeviction");
        await using GatewayApp gateway = await GatewayApp.StartAsync(new()
        {
            ["SessionGate:Redis"] = redis.Configuration,
            ["SessionGate:RedisTimeout"] = "00:00:02",
            ["SessionGate:Admin:ApiKey"] = ApiKey,
        });

        // Started (its configured key seeded); now Redis is "full".
        (int code, string output) = await RedisCluster.RedisCliAsync(["-p", redis.Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "CONFIG", "SET", "maxmemory", "1"]);
        Assert.True(code == 0, output);
        // A valid sr25519 key (0x77…77 is not a ristretto255 point: refused 400 before the store is asked).
        using var key = SessionGate.Crypto.Sr25519KeyPair.FromMiniSecret(Enumerable.Repeat((byte)0x77, 32).ToArray());
        using var request = new HttpRequestMessage(HttpMethod.Post, "/_sessiongate/admin/keys")
        {
            Content = new StringContent(
                $$"""{"publicKey":"{{SessionGate.Protocol.HexCodec.Encode(key.PublicKey)}}","account":"{{AccountAddress.Encode("kira", new byte[20])}}","ttlSeconds":60}""",
                Encoding.UTF8,
                "application/json"),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", ApiKey);

        using HttpResponseMessage response = await gateway.Client.SendAsync(request);

        string body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.ServiceUnavailable, $"{(int)response.StatusCode}: {body}");
        Assert.Contains("\"code\":\"store_unavailable\"", body, StringComparison.Ordinal);
    }
}
