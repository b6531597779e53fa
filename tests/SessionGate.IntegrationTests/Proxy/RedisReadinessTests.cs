using System.Net;
using System.Text.Json;
using SessionGate.IntegrationTests.Infrastructure;

namespace SessionGate.IntegrationTests.Proxy;

/// <summary><c>/readyz</c> with <c>SessionGate:Redis</c> set: ready while Redis answers, 503 when it is gone, ready again after.</summary>
[Collection(GatewayProcessCollection.Name)]
public sealed class RedisReadinessTests
{
    [Fact]
    public async Task Readyz_RedisKilledAndRestarted_NotReadyThenReadyAgain()
    {
        await using RedisServer redis = await RedisServer.StartAsync();
        await using FakeUpstream upstream = await FakeUpstream.StartAsync();
        Dictionary<string, string?> settings = ProxyGatewayFixture.SettingsWithRedis(upstream.Address, redis);
        await using GatewayProcess gateway = await GatewayProcess.StartAsync(settings);

        await WaitForReadinessAsync(gateway, HttpStatusCode.OK, "Healthy", "the gateway is ready with Redis up");

        await redis.KillAsync();
        await WaitForReadinessAsync(gateway, HttpStatusCode.ServiceUnavailable, "Unhealthy", "readiness reports Redis down");
        using (HttpResponseMessage down = await gateway.Client.GetAsync(new Uri("/readyz", UriKind.Relative)))
        {
            // Public answer: a fixed sentence, never the client library's error text (endpoints, settings).
            string text = await down.Content.ReadAsStringAsync();
            using JsonDocument body = JsonDocument.Parse(text);
            Assert.Equal("Redis is unreachable.", body.RootElement.GetProperty("checks").GetProperty("redis").GetProperty("description").GetString());
            Assert.DoesNotContain(redis.Port.ToString(System.Globalization.CultureInfo.InvariantCulture), text, StringComparison.Ordinal);
        }

        await redis.RestartAsync();
        await WaitForReadinessAsync(gateway, HttpStatusCode.OK, "Healthy", "readiness recovers when Redis is back");
    }

    private static Task WaitForReadinessAsync(GatewayProcess gateway, HttpStatusCode status, string redisStatus, string because) =>
        Eventually.HoldsAsync(
            async () =>
            {
                using HttpResponseMessage response = await gateway.Client.GetAsync(new Uri("/readyz", UriKind.Relative));
                using JsonDocument body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
                return response.StatusCode == status
                    && body.RootElement.GetProperty("checks").GetProperty("redis").GetProperty("status").GetString() == redisStatus;
            },
            TimeSpan.FromSeconds(45),
            because);
}
