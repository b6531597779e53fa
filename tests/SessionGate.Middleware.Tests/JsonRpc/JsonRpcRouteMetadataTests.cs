using SessionGate.AspNetCore.JsonRpc;

namespace SessionGate.Middleware.Tests.JsonRpc;

public sealed class JsonRpcRouteMetadataTests
{
    [Fact]
    public void TryParse_JsonRpcRouteWithOverrides_ReadsEveryList()
    {
        var metadata = new Dictionary<string, string>
        {
            ["SessionGate.JsonRpc"] = "true",
            ["SessionGate.JsonRpc.Methods"] = "eth_call=26, eth_get*=20",
            ["SessionGate.JsonRpc.Disabled"] = "eth_sendRawTransaction,debug_*",
            ["SessionGate.JsonRpc.Allowed"] = "eth_*",
        };

        Assert.True(JsonRpcRouteMetadata.TryParse(metadata, out JsonRpcRouteMetadata? settings, out IReadOnlyList<string> errors));

        Assert.Empty(errors);
        Assert.Equal(26, settings!.Methods["eth_call"]);
        Assert.Equal(20, settings.Methods["eth_get*"]);
        Assert.Equal(["eth_sendRawTransaction", "debug_*"], settings.Disabled);
        Assert.Equal(["eth_*"], settings.Allowed!);
    }

    [Fact]
    public void TryParse_NotJsonRpc_GivesNoSettings()
    {
        Assert.True(JsonRpcRouteMetadata.TryParse(new Dictionary<string, string> { ["SessionGate.Cost"] = "5" }, out JsonRpcRouteMetadata? settings, out _));
        Assert.Null(settings);
        Assert.True(JsonRpcRouteMetadata.TryParse(new Dictionary<string, string> { ["SessionGate.JsonRpc"] = "false" }, out settings, out _));
        Assert.Null(settings);
    }

    [Theory]
    [InlineData("SessionGate.JsonRpc", "yes")]
    [InlineData("SessionGate.JsonRpc.Methods", "eth_call")]
    [InlineData("SessionGate.JsonRpc.Methods", "eth_call=0")]
    [InlineData("SessionGate.JsonRpc.Methods", "eth_call=1,eth_call=2")]
    [InlineData("SessionGate.JsonRpc.Methods", "=5")]
    [InlineData("SessionGate.JsonRpc.Disabled", "eth_*call")]
    [InlineData("SessionGate.JsonRpc.Allowed", "a b")]
    public void TryParse_BadValue_IsAnErrorNamingTheKey(string key, string value)
    {
        var metadata = new Dictionary<string, string> { ["SessionGate.JsonRpc"] = "true", [key] = value };

        Assert.False(JsonRpcRouteMetadata.TryParse(metadata, out JsonRpcRouteMetadata? settings, out IReadOnlyList<string> errors));

        Assert.Null(settings);
        Assert.Contains(errors, e => e.Contains(key, StringComparison.Ordinal));
    }

    [Fact]
    public void TryParse_OverridesWithoutJsonRpc_AreAnError()
    {
        var metadata = new Dictionary<string, string> { ["SessionGate.JsonRpc.Disabled"] = "debug_*" };

        Assert.False(JsonRpcRouteMetadata.TryParse(metadata, out _, out IReadOnlyList<string> errors));
        Assert.Contains(errors, e => e.Contains("SessionGate.JsonRpc", StringComparison.Ordinal));
    }
}
