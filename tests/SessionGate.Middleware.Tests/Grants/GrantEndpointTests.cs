using System.Net;
using System.Text.Json;
using SessionGate.Crypto;
using SessionGate.Testing.Grants;
using static SessionGate.Middleware.Tests.Grants.GrantFixture;

namespace SessionGate.Middleware.Tests.Grants;

/// <summary>POST {PathPrefix}/grants and /grants/revoke and the session endpoints, through HTTP (docs/grants.md).</summary>
public sealed class GrantEndpointTests
{
    private static readonly TestWallet Alice = new("alice");
    private static readonly TestWallet Bob = new("bob");

    [Fact]
    public async Task Grant_Valid_RegistersKey_SessionWorks_DeleteDisablesIt_ReplayIsRefused()
    {
        await using TestGateway gateway = await TestGateway.StartAsync(Settings());
        Sr25519KeyPair key = NewSessionKey();
        string grant = GrantFor(Alice, key, extra: ["Scopes:", "- GET /private", "- /_sessiongate/session"]);
        string body = Alice.Body(grant);

        using HttpResponseMessage granted = await PostAsync(gateway, "/grants", body);
        Assert.Equal(HttpStatusCode.Created, granted.StatusCode);
        JsonElement record = await JsonAsync(granted);
        Assert.Equal(Hex(key), record.GetProperty("public_key").GetString());
        Assert.Equal(Alice.Account, record.GetProperty("account").GetString());
        Assert.Equal("frontend_session_key", record.GetProperty("use_case").GetString());
        Assert.Equal(2, record.GetProperty("scopes").GetArrayLength());

        string header = await gateway.HeaderAsync(key, Alice.Account);
        using HttpResponseMessage call = await gateway.SendAsync("/private", header);
        Assert.Equal(HttpStatusCode.OK, call.StatusCode);

        using HttpResponseMessage session = await gateway.SendAsync(gateway.PathPrefix + "/session", header);
        Assert.Equal(HttpStatusCode.OK, session.StatusCode);
        JsonElement view = await JsonAsync(session);
        Assert.Equal(Alice.Account, view.GetProperty("account").GetString());
        Assert.Equal(Hex(key), view.GetProperty("session_key").GetProperty("public_key").GetString());
        Assert.Equal("free", view.GetProperty("tier").GetProperty("name").GetString());
        Assert.Equal("rate", view.GetProperty("budgets")[0].GetProperty("name").GetString());
        Assert.True(view.GetProperty("budgets")[0].GetProperty("remaining").GetInt64() > 0);

        using HttpResponseMessage keys = await gateway.SendAsync(gateway.PathPrefix + "/session/keys", header);
        Assert.Equal(HttpStatusCode.OK, keys.StatusCode);
        Assert.Equal("active", (await JsonAsync(keys)).GetProperty("keys")[0].GetProperty("state").GetString());

        using HttpResponseMessage deleted = await gateway.SendAsync(gateway.PathPrefix + "/session", header, "DELETE");
        Assert.Equal(HttpStatusCode.OK, deleted.StatusCode);
        Assert.Equal("disabled", (await JsonAsync(deleted)).GetProperty("state").GetString());

        using HttpResponseMessage after = await gateway.SendAsync("/private", await gateway.HeaderAsync(key, Alice.Account));
        Assert.Equal(HttpStatusCode.Unauthorized, after.StatusCode);
        Assert.Equal("key_disabled", await CodeAsync(after));

        using HttpResponseMessage replayed = await PostAsync(gateway, "/grants", body);
        Assert.Equal(HttpStatusCode.Conflict, replayed.StatusCode);
        Assert.Equal("key_disabled", await CodeAsync(replayed));
    }

    [Fact]
    public async Task Grant_SameGrantTwice_Returns200ThenTheSameRecord()
    {
        await using TestGateway gateway = await TestGateway.StartAsync(Settings());
        string body = Alice.Body(GrantFor(Alice, NewSessionKey()));

        using HttpResponseMessage first = await PostAsync(gateway, "/grants", body);
        using HttpResponseMessage second = await PostAsync(gateway, "/grants", body);

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
    }

    [Fact]
    public async Task Grant_OtherTermsForALiveKey_Returns409KeyAlreadyGranted()
    {
        await using TestGateway gateway = await TestGateway.StartAsync(Settings());
        Sr25519KeyPair key = NewSessionKey();
        using HttpResponseMessage first = await PostAsync(gateway, "/grants", Alice.Body(GrantFor(Alice, key)));
        using HttpResponseMessage longer = await PostAsync(gateway, "/grants", Alice.Body(GrantFor(Alice, key, TimeSpan.FromDays(20))));

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, longer.StatusCode);
        Assert.Equal("key_already_granted", await CodeAsync(longer));
    }

    public static TheoryData<string, int, string> RuleCases() => new()
    {
        { "wrong domain", 400, "grant_wrong_domain" },
        { "wrong chain", 400, "grant_wrong_chain" },
        { "issued long ago", 400, "grant_expired" },
        { "issued in the future", 400, "grant_not_yet_valid" },
        { "lifetime too long", 400, "grant_lifetime_too_long" },
        { "use case", 400, "grant_use_case_not_allowed" },
        { "signed by another key", 401, "grant_signer_mismatch" },
        { "bit flip", 401, "grant_signature_invalid" },
        { "malformed", 400, "grant_malformed" },
        { "uncompressed key", 400, "grant_malformed" },
        { "not json", 400, "grant_malformed" },
    };

    [Theory]
    [MemberData(nameof(RuleCases))]
    public async Task Grant_BreakingARule_ReturnsItsCode(string rule, int status, string code)
    {
        await using TestGateway gateway = await TestGateway.StartAsync(Settings());
        Sr25519KeyPair key = NewSessionKey();
        DateTimeOffset now = DateTimeOffset.UtcNow;
        string body = rule switch
        {
            "wrong domain" => Alice.Body(GrantFor(Alice, key, domain: "evil.example.org")),
            "wrong chain" => Alice.Body(GrantFor(Alice, key, chainId: "kira-1")),
            "issued long ago" => Alice.Body(GrantFor(Alice, key, issuedAt: now.AddMinutes(-10))),
            "issued in the future" => Alice.Body(GrantFor(Alice, key, issuedAt: now.AddMinutes(10))),
            "lifetime too long" => Alice.Body(GrantFor(Alice, key, TimeSpan.FromDays(31))),
            "use case" => Alice.Body(GrantFor(Alice, key, useCase: "backend_key")),
            "signed by another key" => Alice.Body(GrantFor(Alice, key), Bob.Sign(GrantFor(Alice, key), Alice.Account), Bob.PublicKey),
            "bit flip" => BitFlipped(GrantFor(Alice, key)),
            "malformed" => Alice.Body(GrantFor(Alice, key).Replace("\n", "\r\n", StringComparison.Ordinal)),
            "uncompressed key" => Alice.Body(GrantFor(Alice, key), publicKey: new byte[65]),
            "not json" => "{\"message\":",
            _ => throw new ArgumentOutOfRangeException(nameof(rule)),
        };

        using HttpResponseMessage response = await PostAsync(gateway, "/grants", body);

        Assert.Equal(status, (int)response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(code, await CodeAsync(response));
    }

    [Fact]
    public async Task Grant_Malformed_ListsEveryProblemInErrors()
    {
        await using TestGateway gateway = await TestGateway.StartAsync(Settings());
        string message = GrantFor(Alice, NewSessionKey()).Replace("Nonce: n0nce12345678", "Nonce: x", StringComparison.Ordinal) + " ";
        string body = Alice.Body(message).Replace("tendermint/PubKeySecp256k1", "tendermint/PubKeyEd25519", StringComparison.Ordinal);

        using HttpResponseMessage response = await PostAsync(gateway, "/grants", body);

        JsonElement problem = await JsonAsync(response);
        Assert.Equal("grant_malformed", problem.GetProperty("code").GetString());
        Assert.True(problem.GetProperty("errors").GetProperty("message").GetArrayLength() >= 2);
        Assert.True(problem.GetProperty("errors").TryGetProperty("signature.pub_key.type", out _));
    }

    [Fact]
    public async Task Grant_KeyOfAnotherAccount_Returns409()
    {
        await using TestGateway gateway = await TestGateway.StartAsync(Settings());
        Sr25519KeyPair key = NewSessionKey();
        using HttpResponseMessage alice = await PostAsync(gateway, "/grants", Alice.Body(GrantFor(Alice, key)));
        using HttpResponseMessage bob = await PostAsync(gateway, "/grants", Bob.Body(GrantFor(Bob, key)));

        Assert.Equal(HttpStatusCode.Created, alice.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, bob.StatusCode);
        Assert.Equal("key_owned_by_another_account", await CodeAsync(bob));
    }

    [Fact]
    public async Task Grant_BeyondMaxKeysPerAccount_Returns409TooManyKeys()
    {
        await using TestGateway gateway = await TestGateway.StartAsync(Settings(("SessionGate:Grants:MaxKeysPerAccount", "2")));
        for (int i = 0; i < 2; i++)
        {
            using HttpResponseMessage ok = await PostAsync(gateway, "/grants", Alice.Body(GrantFor(Alice, NewSessionKey())));
            Assert.Equal(HttpStatusCode.Created, ok.StatusCode);
        }

        using HttpResponseMessage third = await PostAsync(gateway, "/grants", Alice.Body(GrantFor(Alice, NewSessionKey())));

        Assert.Equal(HttpStatusCode.Conflict, third.StatusCode);
        Assert.Equal("too_many_keys", await CodeAsync(third));
    }

    [Fact]
    public async Task Revoke_ByTheAccount_DisablesTheKeyPermanently()
    {
        await using TestGateway gateway = await TestGateway.StartAsync(Settings());
        Sr25519KeyPair key = NewSessionKey();
        string grant = Alice.Body(GrantFor(Alice, key));
        using HttpResponseMessage granted = await PostAsync(gateway, "/grants", grant);
        string revoke = Alice.Revoke(Domain, Hex(key), ChainId, DateTimeOffset.UtcNow);

        using HttpResponseMessage byBob = await PostAsync(gateway, "/grants/revoke", Bob.Body(revoke.Replace(Alice.Account, Bob.Account, StringComparison.Ordinal)));
        using HttpResponseMessage revoked = await PostAsync(gateway, "/grants/revoke", Alice.Body(revoke));
        using HttpResponseMessage regrant = await PostAsync(gateway, "/grants", grant);

        Assert.Equal(HttpStatusCode.Created, granted.StatusCode);
        Assert.Equal("key_owned_by_another_account", await CodeAsync(byBob));
        Assert.Equal(HttpStatusCode.OK, revoked.StatusCode);
        Assert.Equal("disabled", (await JsonAsync(revoked)).GetProperty("state").GetString());
        Assert.Equal("key_disabled", await CodeAsync(regrant));
    }

    [Fact]
    public async Task Grants_WithoutDomain_Return404()
    {
        await using TestGateway gateway = await TestGateway.StartAsync();
        using HttpResponseMessage response = await PostAsync(gateway, "/grants", Alice.Body(GrantFor(Alice, NewSessionKey())));
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task Grant_BodyOver8KiB_Returns413()
    {
        await using TestGateway gateway = await TestGateway.StartAsync(Settings());
        using HttpResponseMessage response = await PostAsync(gateway, "/grants", "{\"message\":\"" + new string('a', 9000) + "\"}");
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal("request_too_large", await CodeAsync(response));
    }

    [Fact]
    public async Task Grant_BeyondTheAddressLimit_Returns429BeforeAnySignatureWork()
    {
        await using TestGateway gateway = await TestGateway.StartAsync(Settings(
            ("SessionGate:RateLimiting:Anonymous:Burst", "2"), ("SessionGate:RateLimiting:Anonymous:PermitsPerMinute", "1")));
        string body = Alice.Body(GrantFor(Alice, NewSessionKey()));
        using HttpResponseMessage first = await PostAsync(gateway, "/grants", body);
        using HttpResponseMessage second = await PostAsync(gateway, "/grants", body);
        using HttpResponseMessage third = await PostAsync(gateway, "/grants", body);

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        Assert.Equal(HttpStatusCode.TooManyRequests, third.StatusCode);
        Assert.Equal("rate_limited", await CodeAsync(third));
    }

    [Fact]
    public async Task Grant_RepeatedFailures_BlockTheAddress()
    {
        await using TestGateway gateway = await TestGateway.StartAsync(Settings(("SessionGate:ClientBlocking:FailureThreshold", "3")));
        for (int i = 0; i < 3; i++)
        {
            using HttpResponseMessage bad = await PostAsync(gateway, "/grants", "{}");
            Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        }

        using HttpResponseMessage blocked = await PostAsync(gateway, "/grants", Alice.Body(GrantFor(Alice, NewSessionKey())));

        Assert.Equal(HttpStatusCode.TooManyRequests, blocked.StatusCode);
        Assert.Equal("ip_blocked", await CodeAsync(blocked));
    }

    [Fact]
    public async Task Session_WithoutHeader_Returns401SessionRequired()
    {
        await using TestGateway gateway = await TestGateway.StartAsync(Settings());
        using HttpResponseMessage response = await gateway.SendAsync(gateway.PathPrefix + "/session", null);
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("session_required", await CodeAsync(response));
    }

    private static string BitFlipped(string message)
    {
        byte[] signature = Alice.Sign(message);
        signature[10] ^= 0x01;
        return Alice.Body(message, signature);
    }
}
