using System.Net;
using SessionGate.IntegrationTests.Proxy;

namespace SessionGate.IntegrationTests.Faults;

/// <summary>
/// The gateway keys IP blocking (and anonymous limits) by the connection's address, never by
/// X-Forwarded-For: a client cannot invent addresses to escape a block or to fill the gateway's
/// per-address tables. Distinct addresses in the abuse tests therefore come from distinct sockets.
/// </summary>
[Collection(FaultsCollection.Name)]
public sealed class ClientAddressTests
{
    [Fact]
    public async Task Gateway_ForgedForwardedFor_BlockFollowsTheConnectionAddress()
    {
        await using FakeUpstream upstream = await FakeUpstream.StartAsync();
        Dictionary<string, string?> settings = FaultRig.Gateway(upstream.Address);
        settings["SessionGate:ClientBlocking:FailureThreshold"] = "3";
        await using GatewayProcess gateway = await GatewayProcess.StartAsync(settings);
        using HttpClient abuser = SourceAddressClient.Create(IPAddress.Parse("127.7.7.7"), gateway.Address);
        using HttpClient bystander = SourceAddressClient.Create(IPAddress.Parse("127.8.8.8"), gateway.Address);

        for (int i = 0; i < 3; i++)
        {
            Assert.Equal("session_malformed", (await SendAsync(abuser, "{bad", forwardedFor: $"203.0.113.{i + 1}")).Code);
        }

        Assert.Equal("ip_blocked", (await SendAsync(abuser, null, forwardedFor: "198.51.100.99")).Code);
        Assert.Equal(HttpStatusCode.OK, (await SendAsync(bystander, null, forwardedFor: "127.7.7.7")).StatusCode);
    }

    private static async Task<Answer> SendAsync(HttpClient client, string? header, string forwardedFor)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri("/open/x", UriKind.Relative));
        request.Headers.TryAddWithoutValidation("X-Forwarded-For", forwardedFor);
        if (header is not null)
        {
            request.Headers.TryAddWithoutValidation("kira_session", header);
        }

        return await Answer.SendAsync(client, request);
    }
}
