using System.Net;
using System.Net.Http.Headers;
using SessionGate.IntegrationTests.Faults;
using SessionGate.IntegrationTests.Infrastructure;
using SessionGate.IntegrationTests.Proxy;

namespace SessionGate.IntegrationTests.Admin;

/// <summary>
/// Issue 17 finding 6 against the real gateway process: failed admin credentials back off per address
/// and count toward blocking, a weak admin key stops the start, and a crafted path cannot forge a log line.
/// </summary>
[Collection(GatewayProcessCollection.Name)]
public sealed class AdminSurfaceTests
{
    private const string ApiKey = "ab8e2b1a09d7f0c6e4f2a3b5c7d9e1f08a6c4e2b0d9f7e5c3a1b8d6f4e2c0a9b";

    [Fact]
    public async Task WrongAdminKeys_ManyFromOneAddress_BackOffWithGrowingRetryAfterAndFewLogLines()
    {
        await using FakeUpstream upstream = await FakeUpstream.StartAsync();
        Dictionary<string, string?> settings = ProxyGatewayFixture.Settings(upstream.Address, RedisServer.FreeTcpPort());
        settings["SessionGate:Admin:ApiKey"] = ApiKey;
        await using GatewayProcess gateway = await GatewayProcess.StartAsync(settings);
        using HttpClient attacker = SourceAddressClient.Create(System.Net.IPAddress.Parse("127.9.9.9"), AdminAddress(gateway));
        using HttpClient operatorClient = SourceAddressClient.Create(System.Net.IPAddress.Parse("127.9.9.10"), AdminAddress(gateway));

        var statuses = new List<int>();
        var retryAfters = new List<double>();
        for (int i = 0; i < 300; i++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "/_sessiongate/admin/blocked");
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", "wrong-key-" + i);
            using HttpResponseMessage response = await attacker.SendAsync(request);
            statuses.Add((int)response.StatusCode);
            if (response.Headers.RetryAfter?.Delta is { } delta && (int)response.StatusCode == 429)
            {
                retryAfters.Add(delta.TotalSeconds);
            }
        }

        using var right = new HttpRequestMessage(HttpMethod.Get, "/_sessiongate/admin/blocked");
        right.Headers.Authorization = new AuthenticationHeaderValue("Bearer", ApiKey);
        using HttpResponseMessage fromAttacker = await attacker.SendAsync(right);
        using var own = new HttpRequestMessage(HttpMethod.Get, "/_sessiongate/admin/blocked");
        own.Headers.Authorization = new AuthenticationHeaderValue("Bearer", ApiKey);
        using HttpResponseMessage fromOperator = await operatorClient.SendAsync(own);

        Assert.Equal(5, statuses.Count(s => s == 401));               // the default FailuresPerMinute
        Assert.Equal(295, statuses.Count(s => s == 429));
        Assert.Equal(1, retryAfters[0]);
        Assert.Equal(HttpStatusCode.TooManyRequests, fromAttacker.StatusCode);   // even the right key waits out the back-off
        Assert.Equal(HttpStatusCode.OK, fromOperator.StatusCode);               // other addresses are not affected
        int warnings = gateway.Process.Output.Split('\n').Count(l => l.Contains("AdminUnauthorized", StringComparison.Ordinal) || l.Contains("Refused an admin request", StringComparison.Ordinal));
        Assert.InRange(warnings, 1, 5);                                          // not one line per wrong key
    }

    [Fact]
    public async Task WrongAdminKeys_PastTheBlockingThreshold_AddressBlockedForTheGateway()
    {
        await using FakeUpstream upstream = await FakeUpstream.StartAsync();
        Dictionary<string, string?> settings = ProxyGatewayFixture.Settings(upstream.Address, RedisServer.FreeTcpPort());
        settings["SessionGate:Admin:ApiKey"] = ApiKey;
        settings["SessionGate:Admin:FailuresPerMinute"] = "1000";           // only blocking decides here
        settings["SessionGate:ClientBlocking:FailureThreshold"] = "10";
        await using GatewayProcess gateway = await GatewayProcess.StartAsync(settings);
        using HttpClient attacker = SourceAddressClient.Create(System.Net.IPAddress.Parse("127.9.8.7"), AdminAddress(gateway));

        for (int i = 0; i < 10; i++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "/_sessiongate/admin/blocked");
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", "wrong-key-" + i);
            using HttpResponseMessage response = await attacker.SendAsync(request);
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        }

        using var next = new HttpRequestMessage(HttpMethod.Get, "/_sessiongate/admin/blocked");
        next.Headers.Authorization = new AuthenticationHeaderValue("Bearer", "wrong-key-x");
        using HttpResponseMessage blocked = await attacker.SendAsync(next);
        using var listing = new HttpRequestMessage(HttpMethod.Get, "/_sessiongate/admin/blocked");
        listing.Headers.Authorization = new AuthenticationHeaderValue("Bearer", ApiKey);
        using HttpResponseMessage list = await gateway.Client.SendAsync(Absolute(listing, AdminAddress(gateway)));

        await ProblemAssert.IsProblemAsync(blocked, HttpStatusCode.TooManyRequests, "ip_blocked");
        Assert.Contains("127.9.8.7", await list.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("admin-admin-admin-admin-admin-admin-admin-admin")]   // long but a pattern
    [InlineData("correct-horse-battery-staple")]                      // words, short
    [InlineData("0123456789abcdef")]                                  // the old minimum length
    public async Task Serve_WeakAdminKey_ExitsTwoSayingHowToGenerateOne(string weak)
    {
        var settings = new Dictionary<string, string?> { ["SessionGate:Admin:ApiKey"] = weak };
        await using ChildProcess gateway = ChildProcess.StartSessionGate(["serve", "--urls", "http://127.0.0.1:0"], GatewayProcess.Environment(settings));

        int exitCode = await gateway.WaitForExitAsync(TimeSpan.FromSeconds(60));

        string errors = string.Join('\n', gateway.StandardErrorLines);
        Assert.True(exitCode == 2, $"exit code {exitCode}; output:\n{gateway.Output}");
        Assert.Contains("SessionGate:Admin:ApiKey is too weak", errors, StringComparison.Ordinal);
        Assert.Contains("openssl rand -base64 32", errors, StringComparison.Ordinal);
        Assert.DoesNotContain(weak, gateway.Output, StringComparison.Ordinal);   // the key itself is never printed
    }

    [Fact]
    public async Task CraftedPath_WithCrLf_CannotForgeALogLine()
    {
        await using FakeUpstream upstream = await FakeUpstream.StartAsync();
        Dictionary<string, string?> settings = ProxyGatewayFixture.Settings(upstream.Address, RedisServer.FreeTcpPort());
        settings["SessionGate:Admin:ApiKey"] = ApiKey;
        await using GatewayProcess gateway = await GatewayProcess.StartAsync(settings);
        string marker = "forged-" + Guid.NewGuid().ToString("N");

        // Kestrel decodes %0D%0A in the path: the admin API's 401 warning logs that path.
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(AdminAddress(gateway), $"/_sessiongate/admin/x%0D%0A{marker}%1B[31m%0Ainfo: {marker}"));
        using HttpResponseMessage response = await gateway.Client.SendAsync(request);
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        string line = await gateway.Process.WaitForLineAsync(l => l.Contains(marker, StringComparison.Ordinal), TimeSpan.FromSeconds(10), "the refusal is logged");

        string[] lines = gateway.Process.Output.Split('\n').Where(l => l.Contains(marker, StringComparison.Ordinal)).ToArray();
        string only = Assert.Single(lines);
        Assert.Contains(@"x\r\n" + marker + @"\e[31m\ninfo: " + marker, only, StringComparison.Ordinal);
        Assert.DoesNotContain('\u001B', gateway.Process.Output);
        Assert.Equal(only, line);
    }

    /// <summary>Where the admin API answers: the admin listener when the gateway has one, else the public port.</summary>
    private static Uri AdminAddress(GatewayProcess gateway) => gateway.AdminAddress ?? gateway.Address;

    private static HttpRequestMessage Absolute(HttpRequestMessage request, Uri baseAddress)
    {
        request.RequestUri = new Uri(baseAddress, request.RequestUri!);
        return request;
    }
}
