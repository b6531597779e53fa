using SessionGate.Proxy.Gateway.Routing;
using Yarp.ReverseProxy.Configuration;

namespace SessionGate.Proxy.Tests.Gateway;

public sealed class ProxyConfigRulesTests
{
    [Fact]
    public void RouteErrors_EveryBadValue_OneMessageEachNamingTheKey()
    {
        var route = new RouteConfig
        {
            RouteId = "api",
            Metadata = new Dictionary<string, string>
            {
                ["SessionGate.RequireSession"] = "yes",
                ["SessionGate.Enabled"] = "0",
                ["SessionGate.Cost"] = "-1",
                ["Unrelated"] = "kept",
            },
        };

        string[] errors = [.. ProxyConfigRules.RouteErrors(route)];

        Assert.Equal(3, errors.Length);
        Assert.All(errors, e => Assert.StartsWith("ReverseProxy:Routes:api:Metadata:SessionGate.", e, StringComparison.Ordinal));
        Assert.Null(ProxyConfigRules.Settings(route));
    }

    [Fact]
    public void Settings_ValidMetadata_Parsed()
    {
        var route = new RouteConfig { RouteId = "r", Metadata = new Dictionary<string, string> { ["SessionGate.RequireSession"] = "true", ["SessionGate.Cost"] = "5" } };

        Assert.Empty(ProxyConfigRules.RouteErrors(route));
        Assert.Equal(true, ProxyConfigRules.Settings(route)!.RequireSession);
        Assert.Equal(5, ProxyConfigRules.Settings(route)!.Cost);
        Assert.Null(ProxyConfigRules.Settings(new RouteConfig { RouteId = "plain" }));
    }

    [Fact]
    public void RouteErrors_BadJsonRpcMetadata_NamesEachKey()
    {
        var route = new RouteConfig
        {
            RouteId = "rpc",
            Metadata = new Dictionary<string, string>
            {
                ["SessionGate.JsonRpc"] = "true",
                ["SessionGate.JsonRpc.Methods"] = "eth_call=zero",
                ["SessionGate.JsonRpc.Disabled"] = "debug_*trace",
            },
        };

        string[] errors = [.. ProxyConfigRules.RouteErrors(route)];

        Assert.Equal(2, errors.Length);
        Assert.Contains(errors, e => e.StartsWith("ReverseProxy:Routes:rpc:Metadata:SessionGate.JsonRpc.Methods", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("ReverseProxy:Routes:rpc:Metadata:SessionGate.JsonRpc.Disabled:0", StringComparison.Ordinal));
        Assert.Null(ProxyConfigRules.JsonRpcSettings(route));
    }

    [Fact]
    public void JsonRpcSettings_JsonRpcRoute_Parsed()
    {
        var route = new RouteConfig { RouteId = "rpc", Metadata = new Dictionary<string, string> { ["SessionGate.JsonRpc"] = "true", ["SessionGate.JsonRpc.Methods"] = "status=3" } };

        Assert.Empty(ProxyConfigRules.RouteErrors(route));
        Assert.Equal(3, ProxyConfigRules.JsonRpcSettings(route)!.Methods["status"]);
        Assert.Null(ProxyConfigRules.JsonRpcSettings(new RouteConfig { RouteId = "plain" }));
    }

    [Fact]
    public void MissingClusterErrors_RouteNamingUnknownCluster_Reported()
    {
        var config = new TestConfig(
            [new RouteConfig { RouteId = "a", ClusterId = "known" }, new RouteConfig { RouteId = "b", ClusterId = "typo" }],
            [new ClusterConfig { ClusterId = "known" }]);

        Assert.Equal(["ReverseProxy:Routes:b:ClusterId \"typo\" names no cluster in ReverseProxy:Clusters."], ProxyConfigRules.MissingClusterErrors(config));
    }

    [Fact]
    public async Task ConfigFilter_InvalidRouteOrMissingCluster_ThrowsSoYarpKeepsThePreviousConfig()
    {
        var filter = new SessionGateConfigFilter(new GatewayMode(BareProxy: true));
        var cluster = new ClusterConfig { ClusterId = "c" };
        var route = new RouteConfig { RouteId = "r", ClusterId = "c", Metadata = new Dictionary<string, string> { ["SessionGate.Cost"] = "x" } };
        RouteConfig valid = route with { Metadata = null };

        await Assert.ThrowsAsync<InvalidOperationException>(async () => await filter.ConfigureRouteAsync(route, cluster, default));
        await Assert.ThrowsAsync<InvalidOperationException>(async () => await filter.ConfigureRouteAsync(valid, cluster: null, default));
        Assert.Same(valid, await filter.ConfigureRouteAsync(valid, cluster, default));
    }

    [Fact]
    public async Task ConfigFilter_RouteWithoutRateLimiterPolicy_GetsThePerAccountPolicy()
    {
        var filter = new SessionGateConfigFilter(new GatewayMode(BareProxy: false));
        var cluster = new ClusterConfig { ClusterId = "c" };
        var plain = new RouteConfig { RouteId = "r", ClusterId = "c" };
        RouteConfig own = plain with { RateLimiterPolicy = "mine" };

        Assert.Equal(SessionGate.AspNetCore.RateLimiting.SessionGatePolicyNames.PerAccount, (await filter.ConfigureRouteAsync(plain, cluster, default)).RateLimiterPolicy);
        Assert.Equal("mine", (await filter.ConfigureRouteAsync(own, cluster, default)).RateLimiterPolicy);
        Assert.Null((await new SessionGateConfigFilter(new GatewayMode(BareProxy: true)).ConfigureRouteAsync(plain, cluster, default)).RateLimiterPolicy);
    }

    private sealed record TestConfig(IReadOnlyList<RouteConfig> Routes, IReadOnlyList<ClusterConfig> Clusters) : IProxyConfig
    {
        public Microsoft.Extensions.Primitives.IChangeToken ChangeToken => throw new NotSupportedException();
    }
}
