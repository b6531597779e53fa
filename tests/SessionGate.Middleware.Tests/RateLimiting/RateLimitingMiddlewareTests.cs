using SessionGate.Testing.Http;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using SessionGate.RateLimiting;
using SessionGate.AspNetCore.RateLimiting;

namespace SessionGate.Middleware.Tests.RateLimiting;

/// <summary>The PerAccount policy through ASP.NET Core's rate-limiting middleware (in-memory limiter).</summary>
public sealed class RateLimitingMiddlewareTests
{
    [Fact]
    public async Task Anonymous_BurstSpent_Returns429WithHeadersAndProblem()
    {
        await using TestGateway gateway = await TestGateway.StartAsync(new()
        {
            ["SessionGate:RateLimiting:Anonymous:PermitsPerMinute"] = "1",
            ["SessionGate:RateLimiting:Anonymous:Burst"] = "3",
        });

        for (int i = 0; i < 3; i++)
        {
            using HttpResponseMessage ok = await gateway.SendAsync("/limited", header: null);
            Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
            var policy = StructuredFieldParser.ParseList(string.Join(",", ok.Headers.GetValues("RateLimit-Policy")));
            Assert.Equal(("anonymous", 3L, 180L), (policy[0].Name, policy[0].Integer("q"), policy[0].Integer("w")));
            Assert.Equal(2 - i, StructuredFieldParser.ParseList(string.Join(",", ok.Headers.GetValues("RateLimit")))[0].Integer("r"));
        }

        using HttpResponseMessage refused = await gateway.SendAsync("/limited", header: null);
        await ProblemAssert.IsProblemAsync(refused, 429, "rate_limited");
        long t = StructuredFieldParser.ParseList(string.Join(",", refused.Headers.GetValues("RateLimit")))[0].Integer("t");
        Assert.True(refused.Headers.RetryAfter!.Delta!.Value.TotalSeconds >= t);
        Assert.True(t > 0);

        // Unlimited routes are not charged.
        Assert.Equal(HttpStatusCode.OK, (await gateway.SendAsync("/open", header: null)).StatusCode);
    }

    [Fact]
    public async Task Session_TierFromBalance_BecomesAClaimAndThePolicyName()
    {
        await using TestGateway gateway = await TestGateway.StartAsync(new()
        {
            ["SessionGate:Chain:Dev:Accounts:0:Account"] = TestGateway.AccountFor(1),
            ["SessionGate:Chain:Dev:Accounts:0:Balance"] = "1500",
        });

        using HttpResponseMessage response = await gateway.SendAsync("/limited", await gateway.HeaderAsync());

        JsonElement body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("holder", body.GetProperty("tier").GetString());
        Assert.Equal("\"holder\";q=100;w=10", response.Headers.GetValues("RateLimit-Policy").Single());
    }

    [Fact]
    public async Task Session_RouteCost_IsChargedPerCall()
    {
        await using TestGateway gateway = await TestGateway.StartAsync(new()
        {
            ["SessionGate:RateLimiting:Tiers:0:Name"] = "only",
            ["SessionGate:RateLimiting:Tiers:0:MinBalance"] = "0",
            ["SessionGate:RateLimiting:Tiers:0:PermitsPerMinute"] = "1",
            ["SessionGate:RateLimiting:Tiers:0:Burst"] = "12",
        });
        string header = await gateway.HeaderAsync();

        Assert.Equal(HttpStatusCode.OK, (await gateway.SendAsync("/costly", header)).StatusCode);
        using HttpResponseMessage second = await gateway.SendAsync("/costly", header);
        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        Assert.Equal(2, StructuredFieldParser.ParseList(second.Headers.GetValues("RateLimit").Single())[0].Integer("r"));
        await ProblemAssert.IsProblemAsync(await gateway.SendAsync("/costly", header), 429, "rate_limited");
        Assert.Equal(HttpStatusCode.OK, (await gateway.SendAsync("/limited", header)).StatusCode);
    }

    [Fact]
    public async Task Session_DailyBudgetSpent_Returns429QuotaExhausted()
    {
        await using TestGateway gateway = await TestGateway.StartAsync(new()
        {
            ["SessionGate:RateLimiting:Tiers:0:Name"] = "metered",
            ["SessionGate:RateLimiting:Tiers:0:MinBalance"] = "0",
            ["SessionGate:RateLimiting:Tiers:0:PermitsPerMinute"] = "600",
            ["SessionGate:RateLimiting:Tiers:0:Burst"] = "100",
            ["SessionGate:RateLimiting:Tiers:0:DailyQuota"] = "2",
        });
        string header = await gateway.HeaderAsync();

        using HttpResponseMessage first = await gateway.SendAsync("/limited", header);
        var items = StructuredFieldParser.ParseList(first.Headers.GetValues("RateLimit").Single());
        Assert.Equal(["metered", "metered-daily"], items.Select(i => i.Name));
        Assert.Equal(1, items[1].Integer("r"));
        Assert.Equal(HttpStatusCode.OK, (await gateway.SendAsync("/limited", header)).StatusCode);

        using HttpResponseMessage refused = await gateway.SendAsync("/limited", header);
        await ProblemAssert.IsProblemAsync(refused, 429, "quota_exhausted");
        Assert.True(refused.Headers.RetryAfter!.Delta > TimeSpan.Zero);
    }

    [Fact]
    public async Task TierOverride_SetForAnAccount_ReplacesTheBalanceTier()
    {
        await using TestGateway gateway = await TestGateway.StartAsync();
        var overrides = (ITierOverrideStore)gateway.App.Services.GetService(typeof(ITierOverrideStore))!;
        await overrides.SetAsync(gateway.Account, "whale");

        using HttpResponseMessage response = await gateway.SendAsync("/limited", await gateway.HeaderAsync());
        Assert.Equal("\"whale\";q=1000;w=10", response.Headers.GetValues("RateLimit-Policy").Single());
    }

    [Fact]
    public async Task Methods_ListsRoutesCostsAndLimits()
    {
        await using TestGateway gateway = await TestGateway.StartAsync();
        using JsonDocument doc = JsonDocument.Parse(await gateway.Client.GetStringAsync("/_sessiongate/methods"));
        JsonElement root = doc.RootElement;

        Assert.Equal(10, root.GetProperty("anonymous").GetProperty("permits_per_minute").GetInt32());
        Assert.Equal(["free", "holder", "whale"], root.GetProperty("tiers").EnumerateArray().Select(t => t.GetProperty("name").GetString()));
        JsonElement[] methods = [.. root.GetProperty("methods").EnumerateArray()];
        JsonElement costly = methods.Single(m => m.GetProperty("path").GetString() == "/costly");
        Assert.Equal(5, costly.GetProperty("cost").GetInt32());
        Assert.Equal(SessionGatePolicyNames.PerAccount, costly.GetProperty("rate_limit_policy").GetString());
        Assert.True(methods.Single(m => m.GetProperty("path").GetString() == "/private" && m.GetProperty("methods")[0].GetString() == "GET").GetProperty("session_required").GetBoolean());
        Assert.False(methods.Single(m => m.GetProperty("path").GetString() == "/off").GetProperty("enabled").GetBoolean());
        Assert.DoesNotContain(methods, m => m.GetProperty("path").GetString() == "/bypass");
    }
}
