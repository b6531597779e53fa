using SessionGate.Testing.Http;
using SessionGate.RateLimiting;
using SessionGate.AspNetCore.RateLimiting;

namespace SessionGate.Middleware.Tests.RateLimiting;

public sealed class RateLimitHeadersTests
{
    // Burst b at p per minute: the policy's q is what r can reach (b), w the refill time of b units.
    public static TheoryData<int, int, long> RefillCases => new()
    {
        { 600, 100, 10 },       // holder: the issue's example
        { 60, 20, 20 },         // free
        { 6000, 1000, 10 },     // whale
        { 1, 6, 360 },
        { 7, 3, 26 },           // 25.71… rounded up: q/w never exceeds the sustained rate
        { 100_000, 10, 1 },     // refills within a second: w is at least 1
    };

    [Theory]
    [MemberData(nameof(RefillCases))]
    public void FormatPolicy_RateItem_DescribesTheBurstBucketThatRCounts(int perMinute, int burst, long window)
    {
        var item = StructuredFieldParser.ParseList(RateLimitHeaders.FormatPolicy(new QuotaPolicy("t", perMinute, burst))).Single();

        Assert.Equal("t", item.Name);
        Assert.Equal(burst, item.Integer("q"));
        Assert.Equal(window, item.Integer("w"));
        Assert.True((double)item.Integer("q") / item.Integer("w") <= perMinute / 60.0);
    }

    [Fact]
    public void FormatPolicy_Holder_IsTheIssueExample()
    {
        Assert.Equal("\"holder\";q=100;w=10", RateLimitHeaders.FormatPolicy(new QuotaPolicy("holder", 600, 100)));
    }

    [Fact]
    public void Remaining_OfAFullBucket_NeverExceedsThePolicyQuota()
    {
        var policy = new QuotaPolicy("holder", 600, 100);
        var full = new QuotaDecision { Allowed = true, Remaining = 99, Reset = TimeSpan.FromSeconds(0.1) };

        var quota = StructuredFieldParser.ParseList(RateLimitHeaders.FormatPolicy(policy)).Single();
        var remaining = StructuredFieldParser.ParseList(RateLimitHeaders.FormatRemaining(policy, full)).Single();

        Assert.Equal(quota.Name, remaining.Name);
        Assert.True(remaining.Integer("r") <= quota.Integer("q"));
        Assert.True(remaining.Integer("t") <= quota.Integer("w"));
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

        var policies = StructuredFieldParser.ParseList(RateLimitHeaders.FormatPolicy(policy));
        var remaining = StructuredFieldParser.ParseList(RateLimitHeaders.FormatRemaining(policy, decision));

        Assert.Equal(["whale", "whale-daily"], policies.Select(p => p.Name));
        Assert.Equal(["whale", "whale-daily"], remaining.Select(p => p.Name));
        Assert.Equal(1000, policies[0].Integer("q"));
        Assert.Equal(10, policies[0].Integer("w"));
        Assert.Equal(1_000_000, policies[1].Integer("q"));
        Assert.Equal(86_400, policies[1].Integer("w"));
        Assert.Equal(42, remaining[0].Integer("r"));
        Assert.Equal(3, remaining[0].Integer("t"));
        Assert.Equal(999_000, remaining[1].Integer("r"));
        Assert.Equal(10_800, remaining[1].Integer("t"));
    }

    [Fact]
    public void Apply_Refused_SetsRetryAfterNotBeforeReset()
    {
        Microsoft.AspNetCore.Http.IHeaderDictionary headers = new Microsoft.AspNetCore.Http.HeaderDictionary();
        var decision = new QuotaDecision { Allowed = false, Rejection = QuotaRejection.RateLimited, Remaining = 0, Reset = TimeSpan.FromSeconds(1.2), RetryAfter = TimeSpan.FromSeconds(1.2) };

        RateLimitHeaders.Apply(headers, new QuotaPolicy("free", 60, 20), decision);

        long t = StructuredFieldParser.ParseList(headers["RateLimit"]!).Single().Integer("t");
        Assert.Equal(2, t);
        Assert.True(long.Parse(headers.RetryAfter!, System.Globalization.CultureInfo.InvariantCulture) >= t);
    }

    [Fact]
    public void FormatPolicy_NameWithQuotes_IsEscaped()
    {
        var parsed = StructuredFieldParser.ParseList(RateLimitHeaders.FormatPolicy(new QuotaPolicy("a\"b", 1, 1)));
        Assert.Equal("a\"b", parsed[0].Name);
    }
}
