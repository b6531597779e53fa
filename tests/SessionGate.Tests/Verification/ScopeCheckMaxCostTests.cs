using SessionGate.Keys;
using SessionGate.Verification;

namespace SessionGate.Tests.Verification;

public sealed class ScopeCheckMaxCostTests
{
    private static readonly KeyScope[] Scopes = [new("/api/", ["GET"], 5), new("/reports/", [])];

    [Theory]
    [InlineData("/api/x", "GET", 1, true)]
    [InlineData("/api/x", "GET", 5, true)]
    [InlineData("/api/x", "GET", 6, false)]
    [InlineData("/api/x", "POST", 1, false)]
    [InlineData("/reports/big", "GET", 1_000_000, true)]
    public void Allows_ScopeWithMaxCost_CoversOnlyRoutesCostingAtMostThat(string path, string method, long cost, bool allowed)
    {
        Assert.Equal(allowed, ScopeCheck.Allows(Scopes, path, method, cost));
    }

    [Fact]
    public void Allows_WithoutCost_IsACostOfOne()
    {
        Assert.True(ScopeCheck.Allows([new KeyScope("/api/", [], 1)], "/api/x", "GET"));
        Assert.True(ScopeCheck.Allows([], "/api/x", "GET", 1_000_000));
    }
}
