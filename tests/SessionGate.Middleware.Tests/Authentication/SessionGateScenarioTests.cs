using System.Net;
using SessionGate.Crypto;
using SessionGate.Protocol;

namespace SessionGate.Middleware.Tests.Authentication;

/// <summary>Scenarios that need their own gateway configuration.</summary>
public sealed class SessionGateScenarioTests
{
    [Fact]
    public async Task Invoke_ScopedKeyOutsideItsScope_Returns403ScopeDenied()
    {
        await using TestGateway gateway = await TestGateway.StartAsync(new()
        {
            ["SessionGate:Keys:0:Scopes:0:Path"] = "/private",
            ["SessionGate:Keys:0:Scopes:0:Methods:0"] = "GET",
        });
        string header = await gateway.HeaderAsync();

        Assert.Equal(HttpStatusCode.OK, (await gateway.SendAsync("/private", header)).StatusCode);
        await ProblemAssert.IsProblemAsync(await gateway.SendAsync("/private", header, method: "POST"), 403, "scope_denied");
        await ProblemAssert.IsProblemAsync(await gateway.SendAsync("/open", header), 403, "scope_denied");
    }

    [Fact]
    public async Task Invoke_ExpiredKey_Returns401KeyExpired()
    {
        await using TestGateway gateway = await TestGateway.StartAsync(new() { ["SessionGate:Keys:0:Expires"] = "2020-01-01T00:00:00Z" });
        await ProblemAssert.IsProblemAsync(await gateway.SendAsync("/private", await gateway.HeaderAsync()), 401, "key_expired");
    }

    [Fact]
    public async Task Invoke_RepeatedFailures_BlockTheAddressForUnauthenticatedWorkOnly()
    {
        await using TestGateway gateway = await TestGateway.StartAsync(new()
        {
            ["SessionGate:ClientBlocking:FailureThreshold"] = "3",
            ["SessionGate:ClientBlocking:BlockDuration"] = "00:01:00",
        });
        string valid = await gateway.HeaderAsync();
        for (int i = 0; i < 3; i++)
        {
            await ProblemAssert.IsProblemAsync(await gateway.SendAsync("/private", "{bad"), 400, "session_malformed");
        }

        using HttpResponseMessage blocked = await gateway.SendAsync("/private", "{bad");
        await ProblemAssert.IsProblemAsync(blocked, 429, "ip_blocked");
        Assert.True(blocked.Headers.RetryAfter?.Delta > TimeSpan.Zero);
        await ProblemAssert.IsProblemAsync(await gateway.SendAsync("/limited", header: null), 429, "ip_blocked");

        // A session that verifies is never refused for its address's failures (issue 17, finding 2).
        Assert.Equal(HttpStatusCode.OK, (await gateway.SendAsync("/private", valid)).StatusCode);
    }

    [Fact]
    public async Task Invoke_KeyDisabledThroughTheDirectory_IsRefusedAtOnce()
    {
        await using TestGateway gateway = await TestGateway.StartAsync();
        string header = await gateway.HeaderAsync();
        Assert.Equal(HttpStatusCode.OK, (await gateway.SendAsync("/private", header)).StatusCode);

        var directory = (Keys.ISignerKeyDirectory)gateway.App.Services.GetService(typeof(Keys.ISignerKeyDirectory))!;
        Assert.Equal(Keys.KeyChangeResult.Changed, await directory.DisableAsync(new Bytes32(gateway.Key.PublicKey)));

        await ProblemAssert.IsProblemAsync(await gateway.SendAsync("/private", header), 401, "key_disabled");
    }

    [Fact]
    public async Task Invoke_CustomHeaderNameAndPrefix_AreHonoured()
    {
        await using TestGateway gateway = await TestGateway.StartAsync(new()
        {
            ["SessionGate:HeaderName"] = "x_session",
            ["SessionGate:PathPrefix"] = "/gate",
        });
        string hash = System.Text.Json.JsonDocument.Parse(await gateway.Client.GetStringAsync("/gate/block")).RootElement.GetProperty("hash").GetString()!;
        string header = KiraSessionHeader.Create(gateway.Key, gateway.Account, hash);
        Assert.Equal(HttpStatusCode.OK, (await gateway.SendAsync("/private", header, headerName: "x-session")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await gateway.SendAsync("/private", header, headerName: "kira_session")).StatusCode);
    }
}
