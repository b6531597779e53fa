using SessionGate.AspNetCore.Authentication;

namespace SessionGate.Middleware.Tests.Authentication;

public sealed class SessionGateRouteMetadataTests
{
    [Fact]
    public void TryParse_ValidKeys_ReadsEverySetting()
    {
        var metadata = new Dictionary<string, string> { ["SessionGate.RequireSession"] = "true", ["SessionGate.Enabled"] = "False", ["SessionGate.Cost"] = "5", ["SessionGate.Shadow"] = "true", ["Other"] = "x" };
        Assert.True(SessionGateRouteMetadata.TryParse(metadata, out SessionGateRouteMetadata? settings, out IReadOnlyList<string> errors));
        Assert.Empty(errors);
        Assert.Equal(new SessionGateRouteMetadata { RequireSession = true, Enabled = false, Cost = 5, Shadow = true }, settings);
    }

    [Fact]
    public void TryParse_NoSessionGateKeys_GivesNoSettings()
    {
        Assert.True(SessionGateRouteMetadata.TryParse(new Dictionary<string, string> { ["Other"] = "x" }, out SessionGateRouteMetadata? settings, out _));
        Assert.Null(settings);
        Assert.True(SessionGateRouteMetadata.TryParse(null, out settings, out _));
        Assert.Null(settings);
    }

    [Fact]
    public void TryParse_BadValues_ReportsEachByKey()
    {
        var metadata = new Dictionary<string, string> { ["SessionGate.RequireSession"] = "yes", ["SessionGate.Enabled"] = "1", ["SessionGate.Cost"] = "0", ["SessionGate.Shadow"] = "on" };
        Assert.False(SessionGateRouteMetadata.TryParse(metadata, out _, out IReadOnlyList<string> errors));
        Assert.Equal(4, errors.Count);
        Assert.Contains(errors, e => e.StartsWith("SessionGate.Shadow must be \"true\" or \"false\"", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("SessionGate.Cost", StringComparison.Ordinal));
    }
}
