using SessionGate.JsonRpc;

namespace SessionGate.Tests.JsonRpc;

public sealed class JsonRpcOptionsTests
{
    [Fact]
    public void Validate_Defaults_AreValid()
    {
        var options = new JsonRpcOptions();

        Assert.Empty(options.Validate("SessionGate:JsonRpc"));
        Assert.Equal(1 << 20, options.MaxBodyBytes);
        Assert.Equal(1, options.ToTable().Lookup("anything").Cost);
    }

    [Fact]
    public void Validate_EveryBadValue_IsReportedWithItsKey()
    {
        var options = new JsonRpcOptions
        {
            MaxBodyBytes = 10,
            MaxBatchSize = 0,
            DefaultCost = 0,
            Methods = new() { ["eth_call"] = 0, ["eth_*get"] = 5, ["a b"] = 1, ["ok*"] = 2_000_000 },
            Disabled = ["debug_*", ""],
            Allowed = ["x,y"],
        };

        string[] errors = [.. options.Validate("SessionGate:JsonRpc")];

        Assert.Contains(errors, e => e.StartsWith("SessionGate:JsonRpc:MaxBodyBytes", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("SessionGate:JsonRpc:MaxBatchSize", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("SessionGate:JsonRpc:DefaultCost", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("SessionGate:JsonRpc:Methods:eth_call must be a cost", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Contains("\"eth_*get\"", StringComparison.Ordinal) && e.Contains("'*' only as its last", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Contains("\"a b\"", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("SessionGate:JsonRpc:Methods:ok* must be a cost", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("SessionGate:JsonRpc:Disabled:1", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("SessionGate:JsonRpc:Allowed:0", StringComparison.Ordinal));
        Assert.Equal(9, errors.Length);
    }

    [Fact]
    public void With_RouteSettings_ReplaceCostsAddDisabledAndReplaceAllowed()
    {
        JsonRpcMethodTable global = new JsonRpcOptions
        {
            DefaultCost = 2,
            Methods = new() { ["eth_call"] = 26, ["eth_get*"] = 20 },
            Disabled = ["debug_*"],
            Allowed = ["eth_*", "debug_*"],
        }.ToTable();

        JsonRpcMethodTable route = global.With(new Dictionary<string, int> { ["eth_call"] = 50, ["trace_*"] = 100 }, ["eth_sendRawTransaction"], ["eth_*", "trace_*"]);

        Assert.Equal(new JsonRpcMethodRule(50, true), route.Lookup("eth_call"));
        Assert.Equal(new JsonRpcMethodRule(20, true), route.Lookup("eth_getCode"));
        Assert.Equal(new JsonRpcMethodRule(100, true), route.Lookup("trace_block"));
        Assert.False(route.Lookup("eth_sendRawTransaction").Allowed);
        Assert.False(route.Lookup("debug_traceCall").Allowed);
        Assert.False(route.Lookup("net_version").Allowed);
        Assert.Equal(2, route.Lookup("eth_chainId").Cost);

        // The global table is unchanged.
        Assert.Equal(26, global.Lookup("eth_call").Cost);
        Assert.True(global.Lookup("eth_sendRawTransaction").Allowed);
    }
}
