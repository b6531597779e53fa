using System.Diagnostics.Metrics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using SessionGate.AspNetCore.RateLimiting;
using SessionGate.RateLimiting;
using SessionGate.Testing.Http;
using SessionGate.Testing.Metrics;
using SessionGate.Usage;

namespace SessionGate.Middleware.Tests.RateLimiting;

/// <summary>Shadow mode (per tier, per route, globally) and the near-limit counter, in process.</summary>
public sealed class ShadowModeTests
{
    private static Dictionary<string, string?> OneTier(int burst, bool shadow) => new()
    {
        ["SessionGate:RateLimiting:Tiers:0:Name"] = "trial",
        ["SessionGate:RateLimiting:Tiers:0:MinBalance"] = "0",
        ["SessionGate:RateLimiting:Tiers:0:PermitsPerMinute"] = "1",
        ["SessionGate:RateLimiting:Tiers:0:Burst"] = burst.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["SessionGate:RateLimiting:Tiers:0:Shadow"] = shadow ? "true" : "false",
    };

    private static MetricCollector<long> Collect(TestGateway gateway, string instrument) =>
        new(gateway.App.Services.GetRequiredService<IMeterFactory>(), "SessionGate", instrument);

    [Fact]
    public async Task ShadowTier_OverBudget_ServesEverythingAndCountsTheWouldBeRefusals()
    {
        await using TestGateway gateway = await TestGateway.StartAsync(OneTier(burst: 3, shadow: true));
        using MetricCollector<long> requests = Collect(gateway, RateLimitPolicyMetrics.RequestsName);
        using MetricCollector<long> nearLimit = Collect(gateway, RateLimitPolicyMetrics.NearLimitName);
        string header = await gateway.HeaderAsync();

        for (int i = 0; i < 10; i++)
        {
            using HttpResponseMessage response = await gateway.SendAsync("/limited", header);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.False(response.Headers.Contains("RateLimit"), "shadow mode sends no RateLimit headers by default");
            Assert.False(response.Headers.Contains("Retry-After"));
        }

        IReadOnlyList<CollectedMeasurement<long>> counted = requests.GetMeasurementSnapshot();
        Assert.Equal(3, counted.ContainsTags(new KeyValuePair<string, object?>(RateLimitPolicyMetrics.ShadowTag, true), new KeyValuePair<string, object?>("sessiongate.ratelimit.result", "allowed")).EvaluateAsCounter());
        Assert.Equal(7, counted.ContainsTags(new KeyValuePair<string, object?>(RateLimitPolicyMetrics.ShadowTag, true), new KeyValuePair<string, object?>("sessiongate.ratelimit.result", "rate_limited")).EvaluateAsCounter());
        Assert.Equal(10, requests.Sum(RateLimitPolicyMetrics.TierTag, "trial"));
        Assert.Equal(1, nearLimit.Sum());   // the third call left 0 of 3 (< 20 %); the first two left 2 and 1 (≥ 20 % of 3 is 0.6)

        UsageSeries usage = await gateway.App.Services.GetRequiredService<IUsageTracker>().ReadAccountAsync(gateway.Account);
        Assert.Equal(10, usage.Requests);
        Assert.Equal(0, usage.Rejected);
        Assert.Equal(7, usage.ShadowRejected);
    }

    [Fact]
    public async Task ShadowHeaders_On_ReportWhatTheLimitsSayWithoutRetryAfter()
    {
        Dictionary<string, string?> settings = OneTier(burst: 2, shadow: true);
        settings["SessionGate:RateLimiting:ShadowHeaders"] = "true";
        await using TestGateway gateway = await TestGateway.StartAsync(settings);
        string header = await gateway.HeaderAsync();

        for (int i = 0; i < 2; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await gateway.SendAsync("/limited", header)).StatusCode);
        }

        using HttpResponseMessage over = await gateway.SendAsync("/limited", header);
        Assert.Equal(HttpStatusCode.OK, over.StatusCode);
        StructuredItem remaining = StructuredFieldParser.ParseList(string.Join(", ", over.Headers.GetValues("RateLimit"))).Single();
        Assert.Equal(0, remaining.Integer("r"));
        Assert.True(remaining.Integer("t") > 0);
        Assert.Equal("\"trial\";q=2;w=120", over.Headers.GetValues("RateLimit-Policy").Single());
        Assert.False(over.Headers.Contains("Retry-After"));
    }

    [Fact]
    public async Task GlobalShadow_AppliesToAnonymousCallersToo()
    {
        await using TestGateway gateway = await TestGateway.StartAsync(new()
        {
            ["SessionGate:RateLimiting:Shadow"] = "true",
            ["SessionGate:RateLimiting:Anonymous:PermitsPerMinute"] = "1",
            ["SessionGate:RateLimiting:Anonymous:Burst"] = "1",
        });

        for (int i = 0; i < 4; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await gateway.SendAsync("/limited", header: null)).StatusCode);
        }

        UsageSnapshot usage = await gateway.App.Services.GetRequiredService<IUsageTracker>().ReadAsync();
        Assert.Equal(3, usage.Overall.ShadowRejected);
        Assert.Equal(0, usage.Overall.Rejected);
    }

    [Fact]
    public async Task ShadowRoute_SharesTheBudgetAndEnforcedRoutesStillRefuse()
    {
        await using TestGateway gateway = await TestGateway.StartAsync(
            OneTier(burst: 2, shadow: false),
            app => app.MapGet("/trial", (HttpContext c) => "ok").RequireRateLimiting(SessionGatePolicyNames.PerAccount).WithSessionGateShadow());
        string header = await gateway.HeaderAsync();

        for (int i = 0; i < 5; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await gateway.SendAsync("/trial", header)).StatusCode);
        }

        // The shadow route spent the account's budget: the enforced route refuses.
        await ProblemAssert.IsProblemAsync(await gateway.SendAsync("/limited", header), 429, "rate_limited");

        // … and the shadow route still serves.
        Assert.Equal(HttpStatusCode.OK, (await gateway.SendAsync("/trial", header)).StatusCode);

        UsageSeries usage = await gateway.App.Services.GetRequiredService<IUsageTracker>().ReadAccountAsync(gateway.Account);
        Assert.Equal(7, usage.Requests);
        Assert.Equal(4, usage.ShadowRejected);   // /trial calls 3, 4, 5 and the last one
        Assert.Equal(1, usage.Rejected);         // the enforced /limited call
    }

    [Fact]
    public async Task AdminAccountView_ShowsWouldBeRefusalsAndTheTierShadowFlag()
    {
        Dictionary<string, string?> settings = OneTier(burst: 1, shadow: true);
        settings["SessionGate:Admin:ApiKey"] = "5d2b8f0e6a4c19d3b7e2f5a8c0d6e4b1a9f3c7e5d2b8a6f0c4e1d9b7a5f3c2e8";
        await using TestGateway gateway = await TestGateway.StartAsync(settings);
        string header = await gateway.HeaderAsync();
        for (int i = 0; i < 3; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await gateway.SendAsync("/limited", header)).StatusCode);
        }

        using var request = new HttpRequestMessage(HttpMethod.Get, $"{gateway.PathPrefix}/admin/accounts/{gateway.Account}");
        request.Headers.Authorization = new("Bearer", "5d2b8f0e6a4c19d3b7e2f5a8c0d6e4b1a9f3c7e5d2b8a6f0c4e1d9b7a5f3c2e8");
        using HttpResponseMessage response = await gateway.Client.SendAsync(request);
        JsonElement body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(2, body.GetProperty("usage").GetProperty("shadowRejected").GetInt64());
        Assert.Equal(0, body.GetProperty("usage").GetProperty("rejected").GetInt64());
        Assert.True(body.GetProperty("tier").GetProperty("shadow").GetBoolean());
    }

    [Fact]
    public async Task EnforcedTier_CountsRefusalsWithShadowFalse()
    {
        await using TestGateway gateway = await TestGateway.StartAsync(OneTier(burst: 1, shadow: false));
        using MetricCollector<long> requests = Collect(gateway, RateLimitPolicyMetrics.RequestsName);
        string header = await gateway.HeaderAsync();

        Assert.Equal(HttpStatusCode.OK, (await gateway.SendAsync("/limited", header)).StatusCode);
        await ProblemAssert.IsProblemAsync(await gateway.SendAsync("/limited", header), 429, "rate_limited");

        Assert.Equal(2, requests.Sum(RateLimitPolicyMetrics.ShadowTag, false));
        Assert.Equal(0, requests.Sum(RateLimitPolicyMetrics.ShadowTag, true));
    }

    public static TheoryData<long, long?, bool> NearLimitCases => new()
    {
        { 20, null, false },     // exactly 20 % of 100 left: not "less than 20 %"
        { 19, null, true },
        { 50, 1999L, true },     // the daily budget (10,000) is the one near its end
        { 50, 2000L, false },
    };

    [Theory]
    [MemberData(nameof(NearLimitCases))]
    public void IsNearLimit_LessThanTwentyPercentOfABudgetLeft_IsNear(long remaining, long? dailyRemaining, bool near)
    {
        var policy = new QuotaPolicy("t", 600, 100, dailyRemaining is null ? null : 10_000);
        var decision = new QuotaDecision { Allowed = true, Remaining = remaining, Reset = TimeSpan.Zero, DailyRemaining = dailyRemaining };

        Assert.Equal(near, RateLimitPolicyMetrics.IsNearLimit(policy, decision, 0.8));
        Assert.False(RateLimitPolicyMetrics.IsNearLimit(policy, decision with { Allowed = false }, 0.8));
    }
}
