using System.Collections.Concurrent;
using System.Net;
using SessionGate.IntegrationTests.Proxy;
using Xunit.Abstractions;

namespace SessionGate.IntegrationTests.Faults;

/// <summary>
/// Upstreams that refuse connections, never answer, or die mid-run, all at once, while healthy routes
/// and the health endpoint keep serving (single requests: Proxy/ProxyGatewayTests).
/// </summary>
[Collection(FaultsCollection.Name)]
public sealed class UpstreamFaultTests(ITestOutputHelper output)
{
    // The /slow cluster's HttpRequest:ActivityTimeout (ProxyGatewayFixture); the margin covers the
    // gateway's own work and scheduling on a shared two-core machine (see RedisKillTests).
    private static readonly TimeSpan ActivityTimeout = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan Margin = TimeSpan.FromSeconds(1);

    [Fact]
    public async Task Gateway_UpstreamsDownSlowAndDying_ProblemDetailsAndTheGatewayStaysHealthy()
    {
        await using FakeUpstream upstream = await FakeUpstream.StartAsync();
        FakeUpstream dying = await FakeUpstream.StartAsync();
        Dictionary<string, string?> settings = FaultRig.Gateway(upstream.Address);
        settings["ReverseProxy:Routes:dying:ClusterId"] = "dying";
        settings["ReverseProxy:Routes:dying:Match:Path"] = "/dying/{**rest}";
        settings["ReverseProxy:Clusters:dying:Destinations:d1:Address"] = dying.Address.ToString();
        await using GatewayProcess gateway = await GatewayProcess.StartAsync(settings);
        Assert.Equal(HttpStatusCode.OK, (await Answer.GetAsync(gateway.Client, "/dying/x")).StatusCode);

        var answers = new ConcurrentQueue<(string Route, Answer Answer)>();
        async Task Send(string route, int count, int concurrency) =>
            await Parallel.ForEachAsync(Enumerable.Range(0, count), new ParallelOptions { MaxDegreeOfParallelism = concurrency }, async (_, _) =>
                answers.Enqueue((route, await Answer.GetAsync(gateway.Client, route == "/healthz" ? route : route + "/x"))));

        Task faults = Task.WhenAll(
            Send("/down", 300, 8),        // nothing listens: connection refused
            Send("/slow", 40, 20),        // accepts, never answers
            Send("/open", 300, 4),        // healthy, at the same time
            Send("/healthz", 100, 2));
        await dying.DisposeAsync();       // an upstream that was fine goes away during the run
        await Task.WhenAll(faults, Send("/dying", 100, 4));

        ILookup<string, Answer> byRoute = answers.ToLookup(a => a.Route, a => a.Answer);
        foreach (IGrouping<string, Answer> route in byRoute)
        {
            output.WriteLine($"{route.Key}: {FaultRig.Tally(route)}; slowest {route.Max(a => a.Took).TotalMilliseconds:F0} ms");
        }

        Assert.All(byRoute["/down"], a => Assert.Equal((502, "upstream_error"), (a.Status, a.Code)));
        Assert.All(byRoute["/dying"], a => Assert.Equal((502, "upstream_error"), (a.Status, a.Code)));
        Assert.All(byRoute["/slow"], a => Assert.Equal((504, "upstream_timeout"), (a.Status, a.Code)));
        Assert.All(byRoute["/slow"], a => Assert.True(a.Took <= ActivityTimeout + Margin, $"a timed-out request took {a.Took}"));
        Assert.All(byRoute["/open"], a => Assert.Equal(HttpStatusCode.OK, a.StatusCode));
        Assert.All(byRoute["/healthz"], a => Assert.Equal(HttpStatusCode.OK, a.StatusCode));
        await FaultRig.AssertAliveAsync(gateway);
    }
}
