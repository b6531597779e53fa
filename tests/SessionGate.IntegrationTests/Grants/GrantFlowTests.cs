using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using SessionGate.Client;
using SessionGate.Crypto;
using SessionGate.IntegrationTests.Infrastructure;
using SessionGate.IntegrationTests.Proxy;
using SessionGate.Protocol;
using SessionGate.Testing.Grants;

namespace SessionGate.IntegrationTests.Grants;

/// <summary>
/// The whole grant life cycle against the real <c>sessiongate serve</c> process, with in-memory stores
/// and with Redis: grant → the key's header passes → /session shows its quota → DELETE /session →
/// 401 key_disabled → the same grant replayed is still refused.
/// </summary>
[Collection(GatewayProcessCollection.Name)]
public sealed class GrantFlowTests
{
    private const string Domain = "app.example.org";

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Grant_Use_Revoke_Replay_OverTheRealGateway(bool withRedis)
    {
        await using FakeUpstream upstream = await FakeUpstream.StartAsync();
        await using RedisServer? redis = withRedis ? await RedisServer.StartAsync() : null;
        Dictionary<string, string?> settings = ProxyGatewayFixture.Settings(upstream.Address, RedisServer.FreeTcpPort());
        settings["SessionGate:Grants:Domain"] = Domain;
        if (redis is not null)
        {
            settings["SessionGate:Redis"] = redis.Configuration;
            settings["SessionGate:RedisTimeout"] = "00:00:02";
        }

        await using GatewayProcess gateway = await GatewayProcess.StartAsync(settings);
        using JsonDocument block = JsonDocument.Parse(await gateway.Client.GetStringAsync("/_sessiongate/block"));
        string chainId = block.RootElement.GetProperty("chain_id").GetString()!;
        var wallet = new TestWallet("integration " + withRedis);
        using Sr25519KeyPair key = Sr25519KeyPair.FromMiniSecret(Enumerable.Repeat((byte)(withRedis ? 0x71 : 0x72), 32).ToArray());
        DateTimeOffset now = DateTimeOffset.UtcNow;
        string body = wallet.Body(wallet.Grant(Domain, HexCodec.Encode(key.PublicKey), chainId, now, now.AddDays(1)));

        using HttpResponseMessage granted = await PostAsync(gateway.Client, body);
        Assert.Equal(HttpStatusCode.Created, granted.StatusCode);

        using var signed = new HttpClient(new KiraSessionHandler(key, wallet.Account, new KiraSessionClientOptions { Gateway = gateway.Address }, new SocketsHttpHandler()))
        {
            BaseAddress = gateway.Address,
            Timeout = TimeSpan.FromSeconds(30),
        };
        using HttpResponseMessage call = await signed.GetAsync("/api/data");
        Assert.Equal(HttpStatusCode.OK, call.StatusCode);

        using HttpResponseMessage session = await signed.GetAsync("/_sessiongate/session");
        Assert.Equal(HttpStatusCode.OK, session.StatusCode);
        using JsonDocument view = JsonDocument.Parse(await session.Content.ReadAsStringAsync());
        Assert.Equal(wallet.Account, view.RootElement.GetProperty("account").GetString());
        Assert.True(view.RootElement.GetProperty("budgets")[0].GetProperty("remaining").GetInt64() >= 0);

        using HttpResponseMessage deleted = await signed.DeleteAsync("/_sessiongate/session");
        Assert.Equal(HttpStatusCode.OK, deleted.StatusCode);

        using HttpResponseMessage after = await signed.GetAsync("/api/data");
        Assert.Equal(HttpStatusCode.Unauthorized, after.StatusCode);
        Assert.Contains("key_disabled", await after.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        using HttpResponseMessage replayed = await PostAsync(gateway.Client, body);
        Assert.Equal(HttpStatusCode.Conflict, replayed.StatusCode);
        Assert.Contains("key_disabled", await replayed.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    private static async Task<HttpResponseMessage> PostAsync(HttpClient client, string body)
    {
        using var content = new StringContent(body, Encoding.UTF8);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        return await client.PostAsync("/_sessiongate/grants", content);
    }
}
