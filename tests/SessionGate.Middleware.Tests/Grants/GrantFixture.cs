using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using SessionGate.Crypto;
using SessionGate.Protocol;
using SessionGate.Testing.Grants;

namespace SessionGate.Middleware.Tests.Grants;

/// <summary>Helpers of the grant endpoint tests: a gateway with grants on, wallets, fresh session keys.</summary>
internal static class GrantFixture
{
    public const string Domain = "app.example.org";
    public const string ChainId = "sessiongate-dev";

    public static Dictionary<string, string?> Settings(params (string Key, string? Value)[] more)
    {
        var settings = new Dictionary<string, string?>
        {
            ["SessionGate:Grants:Domain"] = Domain,
            ["SessionGate:RateLimiting:Anonymous:PermitsPerMinute"] = "100000",
            ["SessionGate:RateLimiting:Anonymous:Burst"] = "100000",
        };
        foreach ((string key, string? value) in more)
        {
            settings[key] = value;
        }

        return settings;
    }

    private static int _seed = 100;

    public static Sr25519KeyPair NewSessionKey()
    {
        byte[] seed = new byte[32];
        new Random(Interlocked.Increment(ref _seed)).NextBytes(seed);
        return Sr25519KeyPair.FromMiniSecret(seed);
    }

    public static string Hex(Sr25519KeyPair key) => HexCodec.Encode(key.PublicKey);

    public static string GrantFor(TestWallet wallet, Sr25519KeyPair key, TimeSpan? lifetime = null, string chainId = ChainId, string domain = Domain, DateTimeOffset? issuedAt = null, string useCase = "frontend_session_key", params string[] extra)
    {
        DateTimeOffset issued = issuedAt ?? DateTimeOffset.UtcNow;
        return wallet.Grant(domain, Hex(key), chainId, issued, issued + (lifetime ?? TimeSpan.FromDays(7)), useCase, extra: extra);
    }

    public static async Task<HttpResponseMessage> PostAsync(TestGateway gateway, string path, string body)
    {
        using var content = new StringContent(body, Encoding.UTF8);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        return await gateway.Client.PostAsync(gateway.PathPrefix + path, content);
    }

    public static async Task<JsonElement> JsonAsync(HttpResponseMessage response) =>
        JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();

    public static async Task<string?> CodeAsync(HttpResponseMessage response)
    {
        JsonElement json = await JsonAsync(response);
        return json.TryGetProperty("code", out JsonElement code) ? code.GetString() : null;
    }
}
