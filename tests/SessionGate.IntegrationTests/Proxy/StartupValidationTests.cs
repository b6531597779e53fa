
namespace SessionGate.IntegrationTests.Proxy;

/// <summary>Bad configuration stops <c>sessiongate serve</c> before it listens, with every problem named by its key.</summary>
[Collection(GatewayProcessCollection.Name)]
public sealed class StartupValidationTests
{
    [Fact]
    public async Task Serve_SeveralBadValues_ExitsTwoListingEveryProblem()
    {
        var settings = new Dictionary<string, string?>
        {
            ["SessionGate:Window"] = "-00:00:01",
            ["SessionGate:Telemetry:Otlp"] = "collector:4318",
            ["SessionGate:RateLimiting:NearLimitRatio"] = "1.5",
            ["ReverseProxy:Routes:a:ClusterId"] = "c",
            ["ReverseProxy:Routes:a:Match:Path"] = "/a/{**rest}",
            ["ReverseProxy:Routes:a:Metadata:SessionGate.Cost"] = "lots",
            ["ReverseProxy:Routes:b:ClusterId"] = "c",
            ["ReverseProxy:Routes:b:Match:Path"] = "/b/{**rest}",
            ["ReverseProxy:Routes:b:Metadata:SessionGate.RequireSession"] = "yes",
            ["ReverseProxy:Clusters:c:Destinations:d:Address"] = "http://127.0.0.1:9/",
            ["ReverseProxy:Routes:orphan:ClusterId"] = "missing",
            ["ReverseProxy:Routes:orphan:Match:Path"] = "/o/{**rest}",
        };
        await using ChildProcess gateway = ChildProcess.StartSessionGate(["serve", "--urls", "http://127.0.0.1:0"], GatewayProcess.Environment(settings));

        int exitCode = await gateway.WaitForExitAsync(TimeSpan.FromSeconds(60));

        string errors = string.Join('\n', gateway.StandardErrorLines);
        Assert.True(exitCode == 2, $"exit code {exitCode}; output:\n{gateway.Output}");
        Assert.Contains("SessionGate:Window", errors, StringComparison.Ordinal);
        Assert.Contains("SessionGate:Telemetry:Otlp must be an absolute http or https URL", errors, StringComparison.Ordinal);
        Assert.Contains("SessionGate:RateLimiting:NearLimitRatio", errors, StringComparison.Ordinal);
        Assert.Contains("ReverseProxy:Routes:a:Metadata:SessionGate.Cost", errors, StringComparison.Ordinal);
        Assert.Contains("ReverseProxy:Routes:b:Metadata:SessionGate.RequireSession", errors, StringComparison.Ordinal);
        Assert.Contains("ReverseProxy:Routes:orphan:ClusterId", errors, StringComparison.Ordinal);
        Assert.DoesNotContain("Now listening", gateway.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", errors, StringComparison.Ordinal);   // no stack trace
    }

    [Fact]
    public async Task Serve_YarpRejectsRoute_ExitsTwoWithYarpMessage()
    {
        var settings = new Dictionary<string, string?>
        {
            ["ReverseProxy:Routes:broken:ClusterId"] = "c",
            ["ReverseProxy:Routes:broken:Match:Path"] = "/x/{",
            ["ReverseProxy:Clusters:c:Destinations:d:Address"] = "http://127.0.0.1:9/",
        };
        await using ChildProcess gateway = ChildProcess.StartSessionGate(["serve", "--urls", "http://127.0.0.1:0"], GatewayProcess.Environment(settings));

        int exitCode = await gateway.WaitForExitAsync(TimeSpan.FromSeconds(60));

        Assert.True(exitCode == 2, $"exit code {exitCode}; output:\n{gateway.Output}");
        Assert.Contains("Invalid path '/x/{' for route 'broken'", string.Join('\n', gateway.StandardErrorLines), StringComparison.Ordinal);
    }
}
