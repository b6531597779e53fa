using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using SessionGate.IntegrationTests.Gateway;
using SessionGate.IntegrationTests.Infrastructure;
using SessionGate.IntegrationTests.Keys;
using SessionGate.IntegrationTests.RateLimiting;

namespace SessionGate.IntegrationTests.Admin;

/// <summary>
/// Usage through the real pipeline (Kestrel, rate limiter, Redis): requests are counted without any
/// Redis command of their own (the flush costs a fixed few commands per second), and the admin API
/// reports them once flushed.
/// </summary>
public sealed class UsageHotPathTests(RedisServerFixture redis) : IClassFixture<RedisServerFixture>
{
    private const int Requests = 300;
    private const string ApiKey = "1295900c0a571c43ac99b281668cbfbe366701f721a11fec6c7524bdc9162357";

    [Fact]
    public async Task Requests_AddNoRedisCommand_AndAreReportedOnceFlushed()
    {
        await using GatewayApp gateway = await GatewayApp.StartAsync(new()
        {
            ["SessionGate:Redis"] = redis.Server.Configuration,
            ["SessionGate:RedisKeyPrefix"] = $"test-{Guid.NewGuid():N}:",
            ["SessionGate:RedisTimeout"] = "00:00:02",
            ["SessionGate:Admin:ApiKey"] = ApiKey,
            ["SessionGate:RateLimiting:Anonymous:PermitsPerMinute"] = "100000",
            ["SessionGate:RateLimiting:Anonymous:Burst"] = "10000",
        });
        string port = redis.Server.Port.ToString(CultureInfo.InvariantCulture);
        await RedisCluster.RedisCliAsync(["-p", port, "CONFIG", "RESETSTAT"]);
        var clock = System.Diagnostics.Stopwatch.StartNew();

        for (int i = 0; i < Requests; i++)
        {
            using HttpResponseMessage response = await gateway.Client.GetAsync(new Uri("/limited", UriKind.Relative));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        (_, string info) = await RedisCluster.RedisCliAsync(["-p", port, "INFO", "commandstats"]);
        long hincrby = Calls(info, "hincrby");
        long seconds = (long)Math.Ceiling(clock.Elapsed.TotalSeconds) + 2;

        // One flush per second: HINCRBY of "r" (no refusals, no accounts here), whatever the request count.
        Assert.True(hincrby <= seconds, $"{hincrby} HINCRBY for {Requests} requests in {clock.Elapsed}");
        Assert.True(Calls(info, "evalsha") >= Requests, "the limiter decided on this Redis");

        using var admin = new HttpClient { BaseAddress = gateway.Client.BaseAddress };
        admin.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", ApiKey);
        await Eventually.HoldsAsync(
            async () =>
            {
                using JsonDocument usage = JsonDocument.Parse(await admin.GetStringAsync(new Uri("/_sessiongate/admin/usage", UriKind.Relative)));
                return usage.RootElement.GetProperty("overall").GetProperty("requests").GetInt32() == Requests;
            },
            TimeSpan.FromSeconds(20),
            "every request is in the flushed usage");
    }

    // A line like "cmdstat_hincrby:calls=3,usec=…"; 0 when the command was not called.
    private static long Calls(string info, string command)
    {
        string prefix = "cmdstat_" + command + ":calls=";
        string? line = info.Split('\n', StringSplitOptions.TrimEntries).FirstOrDefault(l => l.StartsWith(prefix, StringComparison.Ordinal));
        return line is null ? 0 : long.Parse(line[prefix.Length..line.IndexOf(',', StringComparison.Ordinal)], CultureInfo.InvariantCulture);
    }
}
