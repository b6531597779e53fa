using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using SessionGate.Keys;
using SessionGate.RateLimiting;
using SessionGate.AspNetCore.RateLimiting;

namespace SessionGate.Middleware.Tests.Admin;

/// <summary>Validate: the dry run answers what a real request would get, spending nothing.</summary>
public sealed class AdminValidateTests
{
    private static readonly string Account = TestGateway.AccountFor(51);

    private static Dictionary<string, string?> SmallTier(string? dailyQuota = null) => new()
    {
        ["SessionGate:RateLimiting:Tiers:0:Name"] = "small",
        ["SessionGate:RateLimiting:Tiers:0:MinBalance"] = "0",
        ["SessionGate:RateLimiting:Tiers:0:PermitsPerMinute"] = "1",
        ["SessionGate:RateLimiting:Tiers:0:Burst"] = "3",
        ["SessionGate:RateLimiting:Tiers:0:DailyQuota"] = dailyQuota,
    };

    [Fact]
    public async Task Validate_UnscopedKey_AllowedWithTierAndBudgets_SpendsNothing()
    {
        await using AdminTestGateway admin = await AdminTestGateway.StartAsync(SmallTier());
        string key = AdminTestGateway.PublicKeyHex(60);
        await admin.JsonAsync("POST", "/keys", AdminTestGateway.Grant(key, Account), 201);

        JsonElement first = await admin.JsonAsync("POST", $"/keys/{key}/validate");
        JsonElement second = await admin.JsonAsync("POST", $"/keys/{key}/validate", """{"path":"/x","method":"post","cost":3}""");

        Assert.True(first.GetProperty("allowed").GetBoolean());
        Assert.Equal(JsonValueKind.Null, first.GetProperty("code").ValueKind);
        Assert.Equal(("/", "GET", 1), (first.GetProperty("path").GetString(), first.GetProperty("method").GetString(), first.GetProperty("cost").GetInt32()));
        Assert.Equal(Account, first.GetProperty("account").GetString());
        Assert.Equal("small", first.GetProperty("tier").GetProperty("name").GetString());
        JsonElement rate = first.GetProperty("budgets")[0];
        Assert.Equal(("rate", 3, 3), (rate.GetProperty("name").GetString(), rate.GetProperty("limit").GetInt32(), rate.GetProperty("remaining").GetInt32()));
        Assert.True(second.GetProperty("allowed").GetBoolean());
        Assert.Equal("POST", second.GetProperty("method").GetString());
        Assert.Equal(3, second.GetProperty("budgets")[0].GetProperty("remaining").GetInt32());
    }

    [Fact]
    public async Task Validate_CostAboveWhatRemains_RateLimited()
    {
        await using AdminTestGateway admin = await AdminTestGateway.StartAsync(SmallTier());
        string key = AdminTestGateway.PublicKeyHex(61);
        await admin.JsonAsync("POST", "/keys", AdminTestGateway.Grant(key, Account), 201);

        JsonElement tooCostly = await admin.JsonAsync("POST", $"/keys/{key}/validate", """{"cost":4}""");
        IQuotaLimiter limiter = admin.Gateway.App.Services.GetRequiredService<IQuotaLimiter>();
        Assert.True((await limiter.AcquireAsync("acct:" + Account, new QuotaPolicy("small", 1, 3), 3)).Allowed);
        JsonElement spent = await admin.JsonAsync("POST", $"/keys/{key}/validate");

        Assert.Equal("rate_limited", tooCostly.GetProperty("code").GetString());
        Assert.False(tooCostly.GetProperty("allowed").GetBoolean());
        Assert.Equal("rate_limited", spent.GetProperty("code").GetString());
        Assert.Equal(0, spent.GetProperty("budgets")[0].GetProperty("remaining").GetInt32());
    }

    [Fact]
    public async Task Validate_DailyBudgetTooSmall_QuotaExhausted()
    {
        await using AdminTestGateway admin = await AdminTestGateway.StartAsync(SmallTier(dailyQuota: "2"));
        string key = AdminTestGateway.PublicKeyHex(62);
        await admin.JsonAsync("POST", "/keys", AdminTestGateway.Grant(key, Account), 201);

        JsonElement result = await admin.JsonAsync("POST", $"/keys/{key}/validate", """{"cost":3}""");

        Assert.Equal("quota_exhausted", result.GetProperty("code").GetString());
        JsonElement daily = result.GetProperty("budgets")[1];
        Assert.Equal(("daily", 2, 2), (daily.GetProperty("name").GetString(), daily.GetProperty("limit").GetInt32(), daily.GetProperty("remaining").GetInt32()));
        Assert.Equal(2, result.GetProperty("tier").GetProperty("dailyQuota").GetInt32());
    }

    [Fact]
    public async Task Validate_ScopedKey_ScopeDeniedOutsideItsScopes()
    {
        await using AdminTestGateway admin = await AdminTestGateway.StartAsync();
        string key = AdminTestGateway.PublicKeyHex(63);
        await admin.JsonAsync("POST", "/keys", AdminTestGateway.Grant(key, Account, ""","scopes":[{"path":"/api","methods":["GET"]}]"""), 201);

        Assert.Null((await admin.JsonAsync("POST", $"/keys/{key}/validate", """{"path":"/api/orders"}""")).GetProperty("code").GetString());
        Assert.Equal("scope_denied", (await admin.JsonAsync("POST", $"/keys/{key}/validate", """{"path":"/apix"}""")).GetProperty("code").GetString());
        Assert.Equal("scope_denied", (await admin.JsonAsync("POST", $"/keys/{key}/validate", """{"path":"/api/orders","method":"DELETE"}""")).GetProperty("code").GetString());
        Assert.Equal("scope_denied", (await admin.JsonAsync("POST", $"/keys/{key}/validate")).GetProperty("code").GetString());
    }

    [Fact]
    public async Task Validate_DisabledAndExpiredKeys()
    {
        await using AdminTestGateway admin = await AdminTestGateway.StartAsync();
        string disabled = AdminTestGateway.PublicKeyHex(64);
        await admin.JsonAsync("POST", "/keys", AdminTestGateway.Grant(disabled, Account), 201);
        await admin.JsonAsync("POST", $"/keys/{disabled}/disable");
        string expired = AdminTestGateway.PublicKeyHex(65);

        // The API refuses to grant an expired key; the directory (e.g. seeded configuration) may hold one.
        await admin.Directory.RegisterAsync(new SignerKeyRecord { PublicKey = AdminKeyTests.Parse(expired), Account = Account, Expires = DateTimeOffset.UtcNow.AddMinutes(-1) });

        Assert.Equal("key_disabled", (await admin.JsonAsync("POST", $"/keys/{disabled}/validate")).GetProperty("code").GetString());
        JsonElement result = await admin.JsonAsync("POST", $"/keys/{expired}/validate");
        Assert.Equal("key_expired", result.GetProperty("code").GetString());
        Assert.True((await admin.JsonAsync("GET", $"/keys/{expired}")).GetProperty("expired").GetBoolean());
        await admin.ProblemAsync("POST", $"/keys/{AdminTestGateway.PublicKeyHex(66)}/validate", null, 404, "key_not_found");
    }
}
