namespace SessionGate.IntegrationTests.Infrastructure;

public sealed class RedisServerTests
{
    [Fact]
    public async Task RedisServer_StartKillRestart_ConnectionRecovers()
    {
        await using RedisServer server = await RedisServer.StartAsync();
        await using var connection = await server.ConnectAsync(operationTimeout: TimeSpan.FromMilliseconds(300));

        await connection.RunAsync(db => db.StringSetAsync(connection.Key("k"), "v"));
        Assert.Equal("v", (string?)await connection.RunAsync(db => db.StringGetAsync(connection.Key("k"))));

        await server.KillAsync();
        await Assert.ThrowsAsync<SessionGate.Storage.Redis.RedisUnavailableException>(() => connection.RunAsync(db => db.StringGetAsync(connection.Key("k"))));

        await server.RestartAsync();
        await Eventually.HoldsAsync(
            async () =>
            {
                try
                {
                    await connection.RunAsync(db => db.PingAsync());
                    return true;
                }
                catch (SessionGate.Storage.Redis.RedisUnavailableException)
                {
                    return false;
                }
            },
            TimeSpan.FromSeconds(20),
            "the connection reconnects after Redis restarts");
    }
}
