using System.Net;
using System.Text.Json;
using SessionGate.Keys;
using SessionGate.Protocol;

namespace SessionGate.Middleware.Tests.Admin;

/// <summary>Keys: grant, get, list by account (paged), disable, is-disabled.</summary>
public sealed class AdminKeyTests
{
    private static readonly string Account = TestGateway.AccountFor(11);
    private static readonly string OtherAccount = TestGateway.AccountFor(12);

    [Fact]
    public async Task Grant_NewKey_Returns201WithRecordAndLocation()
    {
        await using AdminTestGateway admin = await AdminTestGateway.StartAsync();
        string key = AdminTestGateway.PublicKeyHex(21);
        string expires = DateTimeOffset.UtcNow.AddDays(30).ToString("yyyy-MM-dd'T00:00:00Z'", System.Globalization.CultureInfo.InvariantCulture);

        using HttpResponseMessage response = await admin.SendAsync("POST", "/keys",
            $$"""{"PublicKey":"{{key.ToUpperInvariant().Replace("0X", "", StringComparison.Ordinal)}}","ACCOUNT":"{{Account.ToUpperInvariant()}}","expires":"{{expires}}","useCase":"cli","scopes":[{"path":"/api/","methods":["get","Post"]}],"unknown":1}""");

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal(admin.Admin + "/keys/" + key, response.Headers.Location!.OriginalString);
        JsonElement record = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal(key, record.GetProperty("publicKey").GetString());
        Assert.Equal(Account, record.GetProperty("account").GetString());
        Assert.Equal("sr25519", record.GetProperty("keyType").GetString());
        Assert.Equal("cli", record.GetProperty("useCase").GetString());
        Assert.Equal(expires, record.GetProperty("expires").GetString());
        Assert.False(record.GetProperty("expired").GetBoolean());
        Assert.False(record.GetProperty("disabled").GetBoolean());
        Assert.Equal(JsonValueKind.Null, record.GetProperty("disabledAt").ValueKind);
        JsonElement scope = record.GetProperty("scopes")[0];
        Assert.Equal("/api/", scope.GetProperty("path").GetString());
        Assert.Equal(["GET", "POST"], scope.GetProperty("methods").EnumerateArray().Select(m => m.GetString()!));
        Assert.NotNull(await admin.Directory.FindAsync(Parse(key)));
    }

    [Fact]
    public async Task Grant_SameAccountAgain_Returns200Updated_OtherAccount409_Disabled409()
    {
        await using AdminTestGateway admin = await AdminTestGateway.StartAsync();
        string key = AdminTestGateway.PublicKeyHex(22);
        await admin.JsonAsync("POST", "/keys", AdminTestGateway.Grant(key, Account), 201);

        JsonElement updated = await admin.JsonAsync("POST", "/keys", AdminTestGateway.Grant(key, Account, ""","useCase":"other" """), 200);
        Assert.Equal("other", updated.GetProperty("useCase").GetString());

        await admin.ProblemAsync("POST", "/keys", AdminTestGateway.Grant(key, OtherAccount), 409, "key_owned_by_another_account");
        await admin.JsonAsync("POST", $"/keys/{key}/disable");
        await admin.ProblemAsync("POST", "/keys", AdminTestGateway.Grant(key, Account), 409, "key_disabled");
    }

    [Fact]
    public async Task Grant_Record_ShowsOriginAdminAndScopeMaxCost()
    {
        await using AdminTestGateway admin = await AdminTestGateway.StartAsync();
        string key = AdminTestGateway.PublicKeyHex(25);

        JsonElement record = await admin.JsonAsync("POST", "/keys", AdminTestGateway.Grant(key, Account, ""","scopes":[{"path":"/api/","maxCost":5},{"path":"/x/"}]"""), 201);

        Assert.Equal("admin", record.GetProperty("origin").GetString());
        Assert.Equal(5, record.GetProperty("scopes")[0].GetProperty("maxCost").GetInt32());
        Assert.Equal(JsonValueKind.Null, record.GetProperty("scopes")[1].GetProperty("maxCost").ValueKind);
        Assert.Equal("admin", (await admin.JsonAsync("GET", $"/accounts/{Account}/keys")).GetProperty("items")[0].GetProperty("origin").GetString());
        Assert.Equal(5, (await admin.Directory.FindAsync(Parse(key)))!.Scopes[0].MaxCost);

        JsonElement bad = await admin.ProblemAsync("POST", "/keys", AdminTestGateway.Grant(AdminTestGateway.PublicKeyHex(26), Account, ""","scopes":[{"path":"/api/","maxCost":0}]"""), 400, "invalid_request");
        Assert.True(bad.GetProperty("errors").TryGetProperty("scopes[0].maxCost", out _));
    }

    [Theory]
    [InlineData("0x0000000000000000000000000000000000000000000000000000000000000000")] // the identity
    [InlineData("0xedffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f")] // p: not canonical
    [InlineData("0x0100000000000000000000000000000000000000000000000000000000000000")] // negative: not canonical
    public async Task Grant_UnusablePublicKey_Returns400PublicKeyInvalid_AndRegistersNothing(string key)
    {
        await using AdminTestGateway admin = await AdminTestGateway.StartAsync();

        JsonElement problem = await admin.ProblemAsync("POST", "/keys", AdminTestGateway.Grant(key, Account), 400, "public_key_invalid");

        Assert.Contains("ristretto255", problem.GetProperty("errors").GetProperty("publicKey")[0].GetString(), StringComparison.Ordinal);
        Assert.Null(await admin.Directory.FindAsync(Parse(key)));

        // Together with other mistakes, it is one of the listed errors of invalid_request.
        JsonElement both = await admin.ProblemAsync("POST", "/keys", AdminTestGateway.Grant(key, "kira1nope"), 400, "invalid_request");
        Assert.True(both.GetProperty("errors").TryGetProperty("publicKey", out _));
        Assert.True(both.GetProperty("errors").TryGetProperty("account", out _));
    }

    [Fact]
    public async Task Get_KnownUnknownAndMalformedKeys()
    {
        await using AdminTestGateway admin = await AdminTestGateway.StartAsync();
        string key = AdminTestGateway.PublicKeyHex(23);
        await admin.JsonAsync("POST", "/keys", AdminTestGateway.Grant(key, Account), 201);

        Assert.Equal(key, (await admin.JsonAsync("GET", "/keys/" + key[2..].ToUpperInvariant())).GetProperty("publicKey").GetString());
        await admin.ProblemAsync("GET", "/keys/" + AdminTestGateway.PublicKeyHex(24), null, 404, "key_not_found");
        JsonElement bad = await admin.ProblemAsync("GET", "/keys/0x1234", null, 400, "invalid_request");
        Assert.Equal("must be 32 bytes of hex (64 digits, 0x optional)", bad.GetProperty("errors").GetProperty("publicKey")[0].GetString());
    }

    [Fact]
    public async Task List_PagesOrderedByPublicKey()
    {
        await using AdminTestGateway admin = await AdminTestGateway.StartAsync();
        var keys = new List<string>();
        for (byte seed = 30; seed < 35; seed++)
        {
            keys.Add(AdminTestGateway.PublicKeyHex(seed));
            await admin.JsonAsync("POST", "/keys", AdminTestGateway.Grant(keys[^1], Account), 201);
        }

        await admin.JsonAsync("POST", "/keys", AdminTestGateway.Grant(AdminTestGateway.PublicKeyHex(35), OtherAccount), 201);
        keys.Sort(StringComparer.Ordinal);

        JsonElement first = await admin.JsonAsync("GET", $"/accounts/{Account.ToUpperInvariant()}/keys?limit=2");
        JsonElement second = await admin.JsonAsync("GET", $"/accounts/{Account}/keys?offset=2&limit=2");
        JsonElement last = await admin.JsonAsync("GET", $"/accounts/{Account}/keys?offset=4&limit=2");
        JsonElement all = await admin.JsonAsync("GET", $"/accounts/{Account}/keys");

        Assert.Equal(Account, first.GetProperty("account").GetString());
        Assert.Equal((0, 2, 2), (first.GetProperty("offset").GetInt32(), first.GetProperty("limit").GetInt32(), first.GetProperty("nextOffset").GetInt32()));
        Assert.Equal(4, second.GetProperty("nextOffset").GetInt32());
        Assert.Equal(JsonValueKind.Null, last.GetProperty("nextOffset").ValueKind);
        Assert.Equal(keys, new[] { first, second, last }.SelectMany(p => p.GetProperty("items").EnumerateArray()).Select(k => k.GetProperty("publicKey").GetString()!));
        Assert.Equal(50, all.GetProperty("limit").GetInt32());
        Assert.Equal(5, all.GetProperty("items").GetArrayLength());
        Assert.Equal(JsonValueKind.Null, all.GetProperty("nextOffset").ValueKind);
        Assert.Empty((await admin.JsonAsync("GET", $"/accounts/{TestGateway.AccountFor(99)}/keys")).GetProperty("items").EnumerateArray());
    }

    [Fact]
    public async Task Disable_IsPermanentAndIdempotent_AndIsDisabledReportsIt()
    {
        await using AdminTestGateway admin = await AdminTestGateway.StartAsync();
        string key = AdminTestGateway.PublicKeyHex(40);
        await admin.JsonAsync("POST", "/keys", AdminTestGateway.Grant(key, Account), 201);

        JsonElement before = await admin.JsonAsync("GET", $"/keys/{key}/disabled");
        JsonElement disabled = await admin.JsonAsync("POST", $"/keys/{key}/disable");
        JsonElement again = await admin.JsonAsync("POST", $"/keys/{key}/disable", "{}");
        JsonElement after = await admin.JsonAsync("GET", $"/keys/{key}/disabled");
        JsonElement unknown = await admin.JsonAsync("GET", $"/keys/{AdminTestGateway.PublicKeyHex(41)}/disabled");

        Assert.True(before.GetProperty("registered").GetBoolean());
        Assert.False(before.GetProperty("disabled").GetBoolean());
        Assert.True(disabled.GetProperty("disabled").GetBoolean());
        Assert.Equal(disabled.GetProperty("disabledAt").GetString(), again.GetProperty("disabledAt").GetString());
        Assert.True(after.GetProperty("disabled").GetBoolean());
        Assert.Equal(disabled.GetProperty("disabledAt").GetString(), after.GetProperty("disabledAt").GetString());
        Assert.False(unknown.GetProperty("registered").GetBoolean());
        Assert.False(unknown.GetProperty("disabled").GetBoolean());
        Assert.Equal(JsonValueKind.Null, unknown.GetProperty("disabledAt").ValueKind);
        await admin.ProblemAsync("POST", $"/keys/{AdminTestGateway.PublicKeyHex(41)}/disable", null, 404, "key_not_found");
        Assert.True((await admin.Directory.FindAsync(Parse(key)))!.Disabled);
    }

    [Fact]
    public async Task DisabledKey_SignedRequest_IsRefused()
    {
        await using AdminTestGateway admin = await AdminTestGateway.StartAsync();
        string key = HexCodec.Encode(admin.Gateway.Key.PublicKey);
        Assert.Equal(HttpStatusCode.OK, (await admin.Gateway.SendAsync("/private", await admin.Gateway.HeaderAsync())).StatusCode);

        await admin.JsonAsync("POST", $"/keys/{key}/disable");

        await ProblemAssert.IsProblemAsync(await admin.Gateway.SendAsync("/private", await admin.Gateway.HeaderAsync(nonce: 1)), 401, "key_disabled");
    }

    [Fact]
    public async Task GrantedKey_SignedRequest_IsAccepted()
    {
        await using AdminTestGateway admin = await AdminTestGateway.StartAsync();
        using var pair = AdminTestGateway.KeyPair(42);
        await admin.JsonAsync("POST", "/keys", AdminTestGateway.Grant(HexCodec.Encode(pair.PublicKey), Account), 201);

        using HttpResponseMessage response = await admin.Gateway.SendAsync("/private", await admin.Gateway.HeaderAsync(pair, Account));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    internal static Bytes32 Parse(string hex) => Bytes32.TryParseHex(hex, out Bytes32 key) ? key : throw new ArgumentException(hex);
}
