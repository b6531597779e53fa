using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using SessionGate.Diagnostics;
using SessionGate.Testing.Grants;
using static SessionGate.Middleware.Tests.Grants.GrantFixture;

namespace SessionGate.Middleware.Tests.Telemetry;

/// <summary>
/// The <c>SessionGate</c> activity source's spans, heard through a plain <see cref="ActivityListener"/>
/// (what OpenTelemetry's <c>AddSessionGate()</c> subscribes to). The listener is process-wide, so
/// each test looks for the spans of its own distinct traffic (a tier or status no other test uses).
/// </summary>
public sealed class SessionGateActivitySourceTests : IDisposable
{
    private readonly ConcurrentQueue<Activity> _stopped = new();
    private readonly ActivityListener _listener;

    public SessionGateActivitySourceTests()
    {
        _listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == SessionGateActivitySource.Name,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = _stopped.Enqueue,
        };
        ActivitySource.AddActivityListener(_listener);
    }

    [Fact]
    public async Task SignedRequest_VerifyAndLimiterSpans_CarryBoundedAttributesOnly()
    {
        await using TestGateway gateway = await TestGateway.StartAsync(new()
        {
            ["SessionGate:RateLimiting:Tiers:0:Name"] = "traced-tier",
            ["SessionGate:RateLimiting:Tiers:0:MinBalance"] = "0",
            ["SessionGate:RateLimiting:Tiers:0:PermitsPerMinute"] = "60",
            ["SessionGate:RateLimiting:Tiers:0:Burst"] = "10",
        });
        string header = await gateway.HeaderAsync(nonce: 4242);

        Assert.Equal(HttpStatusCode.OK, (await gateway.SendAsync("/costly", header)).StatusCode);

        Activity limiter = Assert.Single(_stopped, a => a.OperationName == SessionGateActivitySource.RateLimitSpan && Equals(a.GetTagItem(SessionGateActivitySource.TierAttribute), "traced-tier"));
        Assert.Equal("allowed", limiter.GetTagItem(SessionGateActivitySource.RateLimitResultAttribute));
        Assert.Equal(5, limiter.GetTagItem(SessionGateActivitySource.CostAttribute));
        Assert.Equal("account", limiter.GetTagItem(SessionGateActivitySource.PartitionKindAttribute));
        Assert.Equal(false, limiter.GetTagItem(SessionGateActivitySource.ShadowAttribute));
        Assert.Contains(_stopped, a => a.OperationName == SessionGateActivitySource.VerifySpan && Equals(a.GetTagItem(SessionGateActivitySource.VerifyResultAttribute), "valid"));
        Assert.All(_stopped, a => Assert.All(a.TagObjects, t => Assert.DoesNotContain(gateway.Account, t.Value?.ToString() ?? "", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task BadSignature_VerifySpan_NamesTheProblemCode()
    {
        await using TestGateway gateway = await TestGateway.StartAsync();
        string header = (await gateway.HeaderAsync(nonce: 777)).Replace("\"nonce\":777", "\"nonce\":778", StringComparison.Ordinal);

        Assert.Equal(HttpStatusCode.Unauthorized, (await gateway.SendAsync("/private", header)).StatusCode);

        Assert.Contains(_stopped, a => a.OperationName == SessionGateActivitySource.VerifySpan && Equals(a.GetTagItem(SessionGateActivitySource.VerifyResultAttribute), "signature_invalid"));
    }

    [Fact]
    public async Task Grant_Span_HasKindAndStatus()
    {
        await using TestGateway gateway = await TestGateway.StartAsync(Settings());
        var wallet = new TestWallet("traced");

        using HttpResponseMessage granted = await PostAsync(gateway, "/grants", wallet.Body(GrantFor(wallet, NewSessionKey())));
        Assert.Equal(HttpStatusCode.Created, granted.StatusCode);

        Assert.Contains(_stopped, a => a.OperationName == SessionGateActivitySource.GrantSpan
            && Equals(a.GetTagItem(SessionGateActivitySource.GrantKindAttribute), "grant")
            && Equals(a.GetTagItem(SessionGateActivitySource.GrantStatusAttribute), 201));
    }

    public void Dispose() => _listener.Dispose();
}
