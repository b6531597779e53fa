using System.Net;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using SessionGate.Verification;

namespace SessionGate.Middleware.Tests.Admin;

/// <summary>Accounts (view, tier override), usage and blocked clients.</summary>
public sealed class AdminAccountTests
{
    private static readonly string Rich = TestGateway.AccountFor(1);

    private static Dictionary<string, string?> WithBalance() => new()
    {
        ["SessionGate:Chain:Dev:Accounts:0:Account"] = Rich,
        ["SessionGate:Chain:Dev:Accounts:0:Balance"] = "1500.25",
        ["SessionGate:ClientBlocking:FailureThreshold"] = "3",
    };

    [Fact]
    public async Task Account_View_TierFromBalance_OverrideSetAndRemoved()
    {
        await using AdminTestGateway admin = await AdminTestGateway.StartAsync(WithBalance());

        JsonElement view = await admin.JsonAsync("GET", "/accounts/" + Rich.ToUpperInvariant());
        JsonElement overridden = await admin.JsonAsync("PUT", $"/accounts/{Rich}/tier", """{"tier":"WHALE"}""");
        JsonElement removed = await admin.JsonAsync("DELETE", $"/accounts/{Rich}/tier");
        JsonElement removedAgain = await admin.JsonAsync("DELETE", $"/accounts/{Rich}/tier");

        Assert.Equal(Rich, view.GetProperty("account").GetString());
        JsonElement balance = view.GetProperty("balance");
        Assert.Equal(("1500.25", "ukex", true), (balance.GetProperty("amount").GetString(), balance.GetProperty("denom").GetString(), balance.GetProperty("known").GetBoolean()));
        JsonElement tier = view.GetProperty("tier");
        Assert.Equal(("holder", "balance", 600, 100), (tier.GetProperty("name").GetString(), tier.GetProperty("source").GetString(), tier.GetProperty("permitsPerMinute").GetInt32(), tier.GetProperty("burst").GetInt32()));
        Assert.Equal(JsonValueKind.Null, tier.GetProperty("override").ValueKind);
        Assert.Equal(JsonValueKind.Null, tier.GetProperty("dailyQuota").ValueKind);
        Assert.Equal(100, view.GetProperty("budgets")[0].GetProperty("remaining").GetInt32());
        Assert.Equal(1, view.GetProperty("budgets").GetArrayLength());
        Assert.Equal(60, view.GetProperty("usage").GetProperty("requestsPerSecond").GetArrayLength());
        Assert.Equal(("whale", "override", "whale"), (overridden.GetProperty("tier").GetProperty("name").GetString(), overridden.GetProperty("tier").GetProperty("source").GetString(), overridden.GetProperty("tier").GetProperty("override").GetString()));
        Assert.Equal("holder", removed.GetProperty("tier").GetProperty("name").GetString());
        Assert.Equal(JsonValueKind.Null, removedAgain.GetProperty("tier").GetProperty("override").ValueKind);
    }

    [Fact]
    public async Task Account_Override_AppliesToRealRequests()
    {
        await using AdminTestGateway admin = await AdminTestGateway.StartAsync(WithBalance());
        await admin.JsonAsync("PUT", $"/accounts/{Rich}/tier", """{"tier":"free"}""");

        using HttpResponseMessage response = await admin.Gateway.SendAsync("/limited", await admin.Gateway.HeaderAsync());

        Assert.Equal("free", JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("tier").GetString());
    }

    [Fact]
    public async Task Account_UnknownTier_Returns400NamingTheTiers()
    {
        await using AdminTestGateway admin = await AdminTestGateway.StartAsync();

        JsonElement problem = await admin.ProblemAsync("PUT", $"/accounts/{Rich}/tier", """{"tier":"platinum"}""", 400, "invalid_request");

        Assert.Equal("must be a configured tier: free, holder, whale", problem.GetProperty("errors").GetProperty("tier")[0].GetString());
    }

    [Fact]
    public async Task Usage_CountsRequestsPerAccountAndOverall_WithSearchAndLimit()
    {
        await using AdminTestGateway admin = await AdminTestGateway.StartAsync(new()
        {
            ["SessionGate:RateLimiting:Anonymous:Burst"] = "1",
        });
        string header = await admin.Gateway.HeaderAsync();
        for (int i = 0; i < 3; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await admin.Gateway.SendAsync("/limited", header)).StatusCode);
        }

        Assert.Equal(HttpStatusCode.OK, (await admin.Gateway.SendAsync("/limited", null)).StatusCode);
        Assert.Equal(HttpStatusCode.TooManyRequests, (await admin.Gateway.SendAsync("/limited", null)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await admin.Gateway.SendAsync("/open", header)).StatusCode);   // not rate-limited: not counted

        JsonElement usage = await admin.JsonAsync("GET", "/usage");
        JsonElement searched = await admin.JsonAsync("GET", "/usage?search=" + Rich[10..20].ToUpperInvariant() + "&limit=1");
        JsonElement none = await admin.JsonAsync("GET", "/usage?search=zzzz");
        JsonElement view = await admin.JsonAsync("GET", "/accounts/" + Rich);

        Assert.Equal(60, usage.GetProperty("windowSeconds").GetInt32());
        Assert.True(DateTimeOffset.TryParse(usage.GetProperty("time").GetString(), out _));
        JsonElement overall = usage.GetProperty("overall");
        Assert.Equal((5, 1), (overall.GetProperty("requests").GetInt32(), overall.GetProperty("rejected").GetInt32()));
        Assert.Equal(5, overall.GetProperty("requestsPerSecond").EnumerateArray().Sum(s => s.GetInt32()));
        JsonElement account = Assert.Single(usage.GetProperty("accounts").EnumerateArray());
        Assert.Equal((Rich, 3, 0), (account.GetProperty("account").GetString(), account.GetProperty("requests").GetInt32(), account.GetProperty("rejected").GetInt32()));
        Assert.Equal("free", account.GetProperty("tier").GetProperty("name").GetString());
        Assert.Equal("ukex", account.GetProperty("balance").GetProperty("denom").GetString());
        Assert.Equal("rate", account.GetProperty("budgets")[0].GetProperty("name").GetString());
        Assert.Single(searched.GetProperty("accounts").EnumerateArray());
        Assert.Empty(none.GetProperty("accounts").EnumerateArray());
        Assert.Equal(3, view.GetProperty("usage").GetProperty("requests").GetInt32());
    }

    [Fact]
    public async Task Blocked_ListAndUnblock()
    {
        await using AdminTestGateway admin = await AdminTestGateway.StartAsync(WithBalance());
        IClientBlocker blocker = admin.Gateway.App.Services.GetRequiredService<IClientBlocker>();
        for (int i = 0; i < 3; i++)
        {
            await blocker.RecordFailureAsync("203.0.113.7");
        }

        JsonElement listed = await admin.JsonAsync("GET", "/blocked");
        using HttpResponseMessage unblocked = await admin.SendAsync("DELETE", "/blocked/203.0.113.7");
        JsonElement after = await admin.JsonAsync("GET", "/blocked");

        JsonElement item = Assert.Single(listed.GetProperty("items").EnumerateArray());
        Assert.Equal("203.0.113.7", item.GetProperty("client").GetString());
        Assert.InRange(item.GetProperty("remainingSeconds").GetDouble(), 1, 300);
        Assert.Equal(HttpStatusCode.NoContent, unblocked.StatusCode);
        Assert.Empty(after.GetProperty("items").EnumerateArray());
        Assert.Null(await blocker.GetBlockedForAsync("203.0.113.7"));
        await admin.ProblemAsync("DELETE", "/blocked/203.0.113.7", null, 404, "client_not_blocked");
    }
}
