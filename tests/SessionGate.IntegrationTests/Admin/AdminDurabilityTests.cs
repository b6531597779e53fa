using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using SessionGate.Crypto;
using SessionGate.IntegrationTests.Infrastructure;
using SessionGate.IntegrationTests.Proxy;
using SessionGate.Protocol;

namespace SessionGate.IntegrationTests.Admin;

/// <summary>
/// The admin API of the real <c>sessiongate serve</c> process on a real Redis run with the repository's
/// redis.conf: writes made through the API survive a restart of Redis and of the gateway.
/// </summary>
[Collection(GatewayProcessCollection.Name)]
public sealed class AdminDurabilityTests
{
    private const string ApiKey = "39a87b9fe9361974cc3c930cd0faf7f0bb7a72aa29cc907100269ea630b292f8";
    private static readonly string OtherAccount = AccountAddress.Encode("kira", Enumerable.Repeat((byte)0x44, 20).ToArray());

    [Fact]
    public async Task Writes_SurviveRedisAndGatewayRestart_DisabledKeyStillRefused()
    {
        await using FakeUpstream upstream = await FakeUpstream.StartAsync();
        await using RepositoryRedis redis = await RepositoryRedis.StartAsync();
        Dictionary<string, string?> settings = ProxyGatewayFixture.Settings(upstream.Address, RedisServer.FreeTcpPort());
        settings["SessionGate:Redis"] = redis.Configuration;
        settings["SessionGate:RedisTimeout"] = "00:00:02";
        settings["SessionGate:Admin:ApiKey"] = ApiKey;
        settings["SessionGate:RateLimiting:Tiers:1:Name"] = "whale";
        settings["SessionGate:RateLimiting:Tiers:1:MinBalance"] = "100000";
        settings["SessionGate:RateLimiting:Tiers:1:PermitsPerMinute"] = "200000";
        settings["SessionGate:RateLimiting:Tiers:1:Burst"] = "20000";
        using Sr25519KeyPair seeded = TestIdentity.Key();
        using Sr25519KeyPair granted = Sr25519KeyPair.FromMiniSecret(Enumerable.Repeat((byte)0x6b, 32).ToArray());
        string grantedHex = HexCodec.Encode(granted.PublicKey);

        await using (GatewayProcess gateway = await GatewayProcess.StartAsync(settings))
        {
            using HttpClient admin = AdminClient(gateway.AdminAddress!);
            Assert.Equal(HttpStatusCode.Unauthorized, (await admin.SendAsync(new HttpRequestMessage(HttpMethod.Get, "/_sessiongate/admin/blocked") { Headers = { Authorization = new("Bearer", "wrong-key-of-some-length") } })).StatusCode);
            Assert.Equal(HttpStatusCode.Created, (await PostAsync(admin, "/_sessiongate/admin/keys", $$"""{"publicKey":"{{grantedHex}}","account":"{{OtherAccount}}","ttlSeconds":86400,"scopes":[{"path":"/api/"}]}""")).StatusCode);
            using (var put = new HttpRequestMessage(HttpMethod.Put, $"/_sessiongate/admin/accounts/{OtherAccount}/tier") { Content = Json("""{"tier":"whale"}""") })
            {
                Assert.Equal(HttpStatusCode.OK, (await admin.SendAsync(put)).StatusCode);
            }

            Assert.Equal(HttpStatusCode.OK, (await PostAsync(admin, $"/_sessiongate/admin/keys/{TestIdentity.PublicKeyHex}/disable", null)).StatusCode);
            await AssertSignedAsync(gateway, upstream, seeded, TestIdentity.Account, HttpStatusCode.Unauthorized, expectedTier: null);
            await AssertSignedAsync(gateway, upstream, granted, OtherAccount, HttpStatusCode.OK, expectedTier: "whale");

            // The dashboard's figures come from Redis (each instance flushes once per second).
            await Eventually.HoldsAsync(
                async () => (await GetJsonAsync(admin, "/_sessiongate/admin/usage?search=" + OtherAccount)).GetProperty("accounts").EnumerateArray()
                    .Any(a => a.GetProperty("account").GetString() == OtherAccount && a.GetProperty("requests").GetInt32() >= 1),
                TimeSpan.FromSeconds(30),
                "the usage of the granted key's account is summed in Redis");

            await redis.ShutdownAsync();

            // Redis down: reads that need it answer 503 store_unavailable, never 500.
            using HttpResponseMessage unavailable = await admin.GetAsync(new Uri($"/_sessiongate/admin/accounts/{OtherAccount}/keys", UriKind.Relative));
            Assert.Equal(HttpStatusCode.ServiceUnavailable, unavailable.StatusCode);
            Assert.Contains("store_unavailable", await unavailable.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        await redis.RestartAsync();
        await using (GatewayProcess restarted = await GatewayProcess.StartAsync(settings))
        {
            using HttpClient admin = AdminClient(restarted.AdminAddress!);
            JsonElement key = await GetJsonAsync(admin, $"/_sessiongate/admin/keys/{grantedHex}");
            JsonElement account = await GetJsonAsync(admin, $"/_sessiongate/admin/accounts/{OtherAccount}");
            JsonElement disabled = await GetJsonAsync(admin, $"/_sessiongate/admin/keys/{TestIdentity.PublicKeyHex}/disabled");
            JsonElement listed = await GetJsonAsync(admin, $"/_sessiongate/admin/accounts/{OtherAccount}/keys");

            Assert.Equal(OtherAccount, key.GetProperty("account").GetString());
            Assert.Equal("/api/", key.GetProperty("scopes")[0].GetProperty("path").GetString());
            Assert.Equal(("whale", "override"), (account.GetProperty("tier").GetProperty("name").GetString(), account.GetProperty("tier").GetProperty("source").GetString()));
            Assert.True(disabled.GetProperty("disabled").GetBoolean());
            Assert.Equal(grantedHex, Assert.Single(listed.GetProperty("items").EnumerateArray()).GetProperty("publicKey").GetString());

            // The seeded configuration re-registers the disabled key at start: refused, it stays disabled.
            await AssertSignedAsync(restarted, upstream, seeded, TestIdentity.Account, HttpStatusCode.Unauthorized, expectedTier: null);
            await AssertSignedAsync(restarted, upstream, granted, OtherAccount, HttpStatusCode.OK, expectedTier: "whale");
        }
    }

    private static async Task AssertSignedAsync(GatewayProcess gateway, FakeUpstream upstream, Sr25519KeyPair key, string account, HttpStatusCode expected, string? expectedTier)
    {
        string block = JsonDocument.Parse(await gateway.Client.GetStringAsync(new Uri("/_sessiongate/block", UriKind.Relative))).RootElement.GetProperty("hash").GetString()!;
        string id = Guid.NewGuid().ToString("N");
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/orders?id={id}");
        request.Headers.TryAddWithoutValidation("kira_session", KiraSessionHeader.Create(key, account, block, 0));

        using HttpResponseMessage response = await gateway.Client.SendAsync(request);

        string body = await response.Content.ReadAsStringAsync();
        Assert.True(expected == response.StatusCode, $"expected {expected}, got {(int)response.StatusCode}: {body}");
        if (expected == HttpStatusCode.Unauthorized)
        {
            Assert.Contains("key_disabled", body, StringComparison.Ordinal);
        }
        else
        {
            Assert.Equal(expectedTier, upstream.Find(id)?.Header("X-SessionGate-Tier"));
        }
    }

    private static HttpClient AdminClient(Uri address)
    {
        var client = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromSeconds(30) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", ApiKey);
        return client;
    }

    private static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    private static Task<HttpResponseMessage> PostAsync(HttpClient client, string path, string? json) =>
        client.PostAsync(new Uri(path, UriKind.Relative), json is null ? null : Json(json));

    private static async Task<JsonElement> GetJsonAsync(HttpClient client, string path)
    {
        using HttpResponseMessage response = await client.GetAsync(new Uri(path, UriKind.Relative));
        string body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"GET {path}: {(int)response.StatusCode} {body}");
        return JsonDocument.Parse(body).RootElement.Clone();
    }
}
