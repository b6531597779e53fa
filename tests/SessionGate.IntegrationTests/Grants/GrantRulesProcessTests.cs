using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using SessionGate.Client;
using SessionGate.Crypto;
using SessionGate.Protocol;
using SessionGate.IntegrationTests.Faults;
using SessionGate.IntegrationTests.Infrastructure;
using SessionGate.IntegrationTests.Proxy;
using SessionGate.Testing.Grants;

namespace SessionGate.IntegrationTests.Grants;

/// <summary>
/// Every rule of the grant endpoints (docs/grants.md §3) against the real <c>sessiongate serve</c>
/// process: each case comes from its own client address (127.x.y.z), so the per-address limit and
/// the blocking of repeated failures are tested on their own addresses without disturbing the others.
/// </summary>
[Collection(GatewayProcessCollection.Name)]
public sealed class GrantRulesProcessTests : IAsyncLifetime
{
    private const string Domain = "app.example.org";

    // Anonymous budget per address: 30 units, refilled at 1 a minute (so not within a test); a grant costs 3.
    private const int Burst = 30;
    private const int GrantCost = 3;
    private const int FailureThreshold = 3;

    private static int _nextAddress = 4000;

    private FakeUpstream _upstream = null!;
    private GatewayProcess _gateway = null!;
    private string _chainId = "";

    public async Task InitializeAsync()
    {
        _upstream = await FakeUpstream.StartAsync();
        Dictionary<string, string?> settings = ProxyGatewayFixture.Settings(_upstream.Address, RedisServer.FreeTcpPort());
        settings["SessionGate:Grants:Domain"] = Domain;
        settings["SessionGate:Grants:MaxKeysPerAccount"] = "2";
        settings["SessionGate:Grants:Cost"] = GrantCost.ToString(System.Globalization.CultureInfo.InvariantCulture);
        settings["SessionGate:RateLimiting:Anonymous:PermitsPerMinute"] = "1";
        settings["SessionGate:RateLimiting:Anonymous:Burst"] = Burst.ToString(System.Globalization.CultureInfo.InvariantCulture);
        settings["SessionGate:ClientBlocking:FailureThreshold"] = FailureThreshold.ToString(System.Globalization.CultureInfo.InvariantCulture);
        _gateway = await GatewayProcess.StartAsync(settings);
        using JsonDocument block = JsonDocument.Parse(await _gateway.Client.GetStringAsync("/_sessiongate/block"));
        _chainId = block.RootElement.GetProperty("chain_id").GetString()!;
    }

    public async Task DisposeAsync()
    {
        await _gateway.DisposeAsync();
        await _upstream.DisposeAsync();
    }

    public static TheoryData<string, int, string> RuleCases() => new()
    {
        { "wrong domain", 400, "grant_wrong_domain" },
        { "wrong chain", 400, "grant_wrong_chain" },
        { "issued long ago", 400, "grant_expired" },
        { "expiration passed", 400, "grant_expired" },
        { "issued in the future", 400, "grant_not_yet_valid" },
        { "lifetime too long", 400, "grant_lifetime_too_long" },
        { "unknown use case", 400, "grant_use_case_not_allowed" },
        { "signed by another key", 401, "grant_signer_mismatch" },
        { "bad signature", 401, "grant_signature_invalid" },
        { "identity session key", 400, "grant_malformed" },
        { "bad max-cost scope", 400, "grant_malformed" },
        { "body over 8 KiB", 413, "request_too_large" },
    };

    [Theory]
    [MemberData(nameof(RuleCases))]
    public async Task Grant_BreakingARule_OverTheRealGateway_ReturnsItsCode(string rule, int status, string code)
    {
        var wallet = new TestWallet("rules " + rule);
        var other = new TestWallet("rules other " + rule);
        string key = NewKeyHex();
        DateTimeOffset now = DateTimeOffset.UtcNow;
        string Message(string? domain = null, string? chain = null, DateTimeOffset? issued = null, DateTimeOffset? expires = null, string useCase = "frontend_session_key", string? sessionKey = null, params string[] extra) =>
            wallet.Grant(domain ?? Domain, sessionKey ?? key, chain ?? _chainId, issued ?? now, expires ?? (issued ?? now).AddDays(1), useCase, extra: extra);
        string body = rule switch
        {
            "wrong domain" => wallet.Body(Message(domain: "evil.example.org")),
            "wrong chain" => wallet.Body(Message(chain: "another-chain-9")),
            "issued long ago" => wallet.Body(Message(issued: now.AddMinutes(-10))),
            "expiration passed" => wallet.Body(Message(issued: now.AddMinutes(-4), expires: now.AddMinutes(-1))),
            "issued in the future" => wallet.Body(Message(issued: now.AddMinutes(10))),
            "lifetime too long" => wallet.Body(Message(expires: now.AddDays(31))),
            "unknown use case" => wallet.Body(Message(useCase: "backend_key")),
            "signed by another key" => wallet.Body(Message(), other.Sign(Message(), wallet.Account), other.PublicKey),
            "bad signature" => wallet.Body(Message(), Flip(wallet.Sign(Message()))),
            "identity session key" => wallet.Body(Message(sessionKey: "0x" + new string('0', 64))),
            "bad max-cost scope" => wallet.Body(Message(extra: ["Scopes:", "- GET /api/ max-cost=0"])),
            "body over 8 KiB" => wallet.Body(Message()) + new string(' ', 8 * 1024),
            _ => throw new ArgumentOutOfRangeException(nameof(rule)),
        };

        using HttpClient client = NewClient();
        using HttpResponseMessage response = await PostAsync(client, "/_sessiongate/grants", body);

        Assert.Equal(status, (int)response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(code, await CodeAsync(response));
    }

    [Fact]
    public async Task Grant_KeyOfAnotherAccount_DisabledKey_TooManyKeys_OverTheRealGateway()
    {
        var alice = new TestWallet("rules alice");
        var bob = new TestWallet("rules bob");
        using HttpClient client = NewClient();
        DateTimeOffset now = DateTimeOffset.UtcNow;
        string first = NewKeyHex();
        string second = NewKeyHex();

        Assert.Equal(HttpStatusCode.Created, await StatusAsync(client, "/_sessiongate/grants", alice.Body(alice.Grant(Domain, first, _chainId, now, now.AddDays(1)))));

        // One key, one account.
        using (HttpResponseMessage owned = await PostAsync(client, "/_sessiongate/grants", bob.Body(bob.Grant(Domain, first, _chainId, now, now.AddDays(1)))))
        {
            Assert.Equal(HttpStatusCode.Conflict, owned.StatusCode);
            Assert.Equal("key_owned_by_another_account", await CodeAsync(owned));
        }

        // MaxKeysPerAccount = 2 live keys.
        Assert.Equal(HttpStatusCode.Created, await StatusAsync(client, "/_sessiongate/grants", alice.Body(alice.Grant(Domain, second, _chainId, now, now.AddDays(1)))));
        using HttpClient another = NewClient();
        string third = NewKeyHex();
        using (HttpResponseMessage tooMany = await PostAsync(another, "/_sessiongate/grants", alice.Body(alice.Grant(Domain, third, _chainId, now, now.AddDays(1)))))
        {
            Assert.Equal(HttpStatusCode.Conflict, tooMany.StatusCode);
            Assert.Equal("too_many_keys", await CodeAsync(tooMany));
        }

        // The wallet revokes a key: it is disabled for good, and frees a place.
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(another, "/_sessiongate/grants/revoke", alice.Body(alice.Revoke(Domain, first, _chainId, now))));
        using HttpClient third3 = NewClient();
        using (HttpResponseMessage disabled = await PostAsync(third3, "/_sessiongate/grants", alice.Body(alice.Grant(Domain, first, _chainId, now, now.AddDays(1), nonce: "again1234567"))))
        {
            Assert.Equal(HttpStatusCode.Conflict, disabled.StatusCode);
            Assert.Equal("key_disabled", await CodeAsync(disabled));
        }

        Assert.Equal(HttpStatusCode.Created, await StatusAsync(third3, "/_sessiongate/grants", alice.Body(alice.Grant(Domain, third, _chainId, now, now.AddDays(1)))));
    }

    [Fact]
    public async Task Grant_ThirtyConcurrentGrantsOfOneAccount_ExactlyTheLimitSucceed()
    {
        var wallet = new TestWallet("rules concurrent");
        DateTimeOffset now = DateTimeOffset.UtcNow;
        string[] bodies = [.. Enumerable.Range(0, 30).Select(_ => wallet.Body(wallet.Grant(Domain, NewKeyHex(), _chainId, now, now.AddDays(1))))];
        HttpClient[] clients = [.. bodies.Select(_ => NewClient())];
        try
        {
            HttpStatusCode[] statuses = await Task.WhenAll(bodies.Select((body, i) => StatusAsync(clients[i], "/_sessiongate/grants", body)));

            Assert.Equal(2, statuses.Count(s => s == HttpStatusCode.Created));
            Assert.Equal(28, statuses.Count(s => s == HttpStatusCode.Conflict));
        }
        finally
        {
            foreach (HttpClient client in clients)
            {
                client.Dispose();
            }
        }
    }

    [Fact]
    public async Task Grant_BeyondTheAddressBudget_Returns429BeforeReadingTheBody()
    {
        using HttpClient client = NewClient();
        int admitted = 0;
        for (int i = 0; i < Burst / GrantCost; i++)
        {
            // Valid grants of distinct accounts: no failure counts toward blocking.
            var wallet = new TestWallet($"budget {i}");
            DateTimeOffset now = DateTimeOffset.UtcNow;
            if (await StatusAsync(client, "/_sessiongate/grants", wallet.Body(wallet.Grant(Domain, NewKeyHex(), _chainId, now, now.AddDays(1)))) == HttpStatusCode.Created)
            {
                admitted++;
            }
        }

        // Even a body that is not JSON is refused by the budget, not parsed: no signature work either.
        using HttpResponseMessage refused = await PostAsync(client, "/_sessiongate/grants", "{not json");

        Assert.Equal(Burst / GrantCost, admitted);
        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.Equal("rate_limited", await CodeAsync(refused));
    }

    [Fact]
    public async Task Grant_RepeatedFailures_BlockTheAddress_OtherAddressesUnaffected()
    {
        using HttpClient client = NewClient();
        var wallet = new TestWallet("blocking");
        DateTimeOffset now = DateTimeOffset.UtcNow;
        string wrongDomain = wallet.Body(wallet.Grant("evil.example.org", NewKeyHex(), _chainId, now, now.AddDays(1)));
        for (int i = 0; i < FailureThreshold; i++)
        {
            Assert.Equal(HttpStatusCode.BadRequest, await StatusAsync(client, "/_sessiongate/grants", wrongDomain));
        }

        string valid = wallet.Body(wallet.Grant(Domain, NewKeyHex(), _chainId, now, now.AddDays(1)));
        using HttpResponseMessage blocked = await PostAsync(client, "/_sessiongate/grants", valid);
        Assert.Equal(HttpStatusCode.TooManyRequests, blocked.StatusCode);
        Assert.Equal("ip_blocked", await CodeAsync(blocked));

        using HttpClient elsewhere = NewClient();
        Assert.Equal(HttpStatusCode.Created, await StatusAsync(elsewhere, "/_sessiongate/grants", valid));
    }

    [Fact]
    public async Task GrantedKey_MaxCostScope_AllowsCheapRoutes_RefusesCostlierOnes_AndShowsOriginGrant()
    {
        var wallet = new TestWallet("max cost");
        using Sr25519KeyPair key = Sr25519KeyPair.Generate();
        DateTimeOffset now = DateTimeOffset.UtcNow;
        string message = wallet.Grant(Domain, HexCodec.Encode(key.PublicKey), _chainId, now, now.AddDays(1), extra: ["Scopes:", "- GET /api/ max-cost=1", "- GET /costly/ max-cost=4"]);
        using HttpClient client = NewClient();
        using HttpResponseMessage granted = await PostAsync(client, "/_sessiongate/grants", wallet.Body(message));
        Assert.Equal(HttpStatusCode.Created, granted.StatusCode);
        using JsonDocument record = JsonDocument.Parse(await granted.Content.ReadAsStringAsync());
        Assert.Equal("grant", record.RootElement.GetProperty("origin").GetString());
        Assert.Equal(4, record.RootElement.GetProperty("scopes")[1].GetProperty("max_cost").GetInt32());

        using var signed = new HttpClient(new KiraSessionHandler(key, wallet.Account, new KiraSessionClientOptions { Gateway = _gateway.Address }, SourceAddressClient.CreateHandler(NextAddress())))
        {
            BaseAddress = _gateway.Address,
            Timeout = TimeSpan.FromSeconds(30),
        };
        using (HttpResponseMessage cheap = await signed.GetAsync(new Uri("/api/data", UriKind.Relative)))
        {
            Assert.Equal(HttpStatusCode.OK, cheap.StatusCode);
        }

        // /costly costs 5 per call (SessionGate.Cost), above the scope's max-cost=4.
        using (HttpResponseMessage costly = await signed.GetAsync(new Uri("/costly/data", UriKind.Relative)))
        {
            Assert.Equal(HttpStatusCode.Forbidden, costly.StatusCode);
            Assert.Equal("scope_denied", await CodeAsync(costly));
        }

        using HttpResponseMessage session = await signed.GetAsync(new Uri("/_sessiongate/session", UriKind.Relative));
        using JsonDocument view = JsonDocument.Parse(await session.Content.ReadAsStringAsync());
        Assert.Equal("grant", view.RootElement.GetProperty("session_key").GetProperty("origin").GetString());
        using HttpResponseMessage keys = await signed.GetAsync(new Uri("/_sessiongate/session/keys", UriKind.Relative));
        using JsonDocument list = JsonDocument.Parse(await keys.Content.ReadAsStringAsync());
        Assert.Equal("grant", list.RootElement.GetProperty("keys")[0].GetProperty("origin").GetString());
    }

    private static System.Net.IPAddress NextAddress() => SourceAddressClient.Address(Interlocked.Increment(ref _nextAddress));

    private HttpClient NewClient() => SourceAddressClient.Create(NextAddress(), _gateway.Address);

    private static string NewKeyHex()
    {
        using Sr25519KeyPair key = Sr25519KeyPair.Generate();
        return HexCodec.Encode(key.PublicKey);
    }

    private static byte[] Flip(byte[] signature)
    {
        byte[] copy = [.. signature];
        copy[10] ^= 0x01;
        return copy;
    }

    private static async Task<HttpStatusCode> StatusAsync(HttpClient client, string path, string body)
    {
        using HttpResponseMessage response = await PostAsync(client, path, body);
        return response.StatusCode;
    }

    private static async Task<HttpResponseMessage> PostAsync(HttpClient client, string path, string body)
    {
        using var content = new StringContent(body, Encoding.UTF8);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        return await client.PostAsync(new Uri(path, UriKind.Relative), content);
    }

    private static async Task<string?> CodeAsync(HttpResponseMessage response)
    {
        using JsonDocument json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return json.RootElement.TryGetProperty("code", out JsonElement code) ? code.GetString() : null;
    }
}
