using SessionGate.RateLimiting;
using SessionGate.AspNetCore.RateLimiting;

namespace SessionGate.Middleware.Tests.RateLimiting;

public sealed class RateLimitHeadersTests
{
    [Fact]
    public void FormatPolicy_RateOnly_IsTheDraftSyntax()
    {
        Assert.Equal("\"holder\";q=600;w=60", RateLimitHeaders.FormatPolicy(new QuotaPolicy("holder", 600, 100)));
    }

    [Fact]
    public void Headers_WithDailyBudget_ParseBackAsStructuredFieldLists()
    {
        var policy = new QuotaPolicy("whale", 6000, 1000, 1_000_000);
        var decision = new QuotaDecision
        {
            Allowed = true,
            Remaining = 42,
            Reset = TimeSpan.FromSeconds(2.1),
            DailyRemaining = 999_000,
            DailyReset = TimeSpan.FromHours(3),
        };

        var policies = StructuredFieldList.Parse(RateLimitHeaders.FormatPolicy(policy));
        var remaining = StructuredFieldList.Parse(RateLimitHeaders.FormatRemaining(policy, decision));

        Assert.Equal(["whale", "whale-daily"], policies.Select(p => p.Name));
        Assert.Equal(6000, policies[0].Parameters["q"]);
        Assert.Equal(60, policies[0].Parameters["w"]);
        Assert.Equal(1_000_000, policies[1].Parameters["q"]);
        Assert.Equal(86_400, policies[1].Parameters["w"]);
        Assert.Equal(42, remaining[0].Parameters["r"]);
        Assert.Equal(3, remaining[0].Parameters["t"]);
        Assert.Equal(999_000, remaining[1].Parameters["r"]);
        Assert.Equal(10_800, remaining[1].Parameters["t"]);
    }

    [Fact]
    public void Apply_Refused_SetsRetryAfterNotBeforeReset()
    {
        Microsoft.AspNetCore.Http.IHeaderDictionary headers = new Microsoft.AspNetCore.Http.HeaderDictionary();
        var decision = new QuotaDecision { Allowed = false, Rejection = QuotaRejection.RateLimited, Remaining = 0, Reset = TimeSpan.FromSeconds(1.2), RetryAfter = TimeSpan.FromSeconds(1.2) };

        RateLimitHeaders.Apply(headers, new QuotaPolicy("free", 60, 20), decision);

        long t = StructuredFieldList.Parse(headers["RateLimit"]!)[0].Parameters["t"];
        Assert.Equal(2, t);
        Assert.True(long.Parse(headers.RetryAfter!, System.Globalization.CultureInfo.InvariantCulture) >= t);
    }

    [Fact]
    public void FormatPolicy_NameWithQuotes_IsEscaped()
    {
        var parsed = StructuredFieldList.Parse(RateLimitHeaders.FormatPolicy(new QuotaPolicy("a\"b", 1, 1)));
        Assert.Equal("a\"b", parsed[0].Name);
    }
}
