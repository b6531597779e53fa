using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using SessionGate.Keys;
using SessionGate.Keys.Redis;
using SessionGate.AspNetCore;
using SessionGate.Testing.Keys;
using StackExchange.Redis;

namespace SessionGate.IntegrationTests.DependencyInjection;

/// <summary>
/// The Redis composition against a real Redis: SessionGate:Redis gives the Redis stores one
/// multiplexer opened when the host starts, and .AddRedis(multiplexer) uses the application's own
/// (which SessionGate then never closes).
/// </summary>
public sealed class RedisCompositionTests(Keys.RedisServerFixture redis) : IClassFixture<Keys.RedisServerFixture>
{
    [Fact]
    public async Task RedisConfigured_StoresAreRedisAndTheMultiplexerOpensAtStart()
    {
        string prefix = Keys.RedisServerFixture.NewPrefix();
        await using WebApplication app = Build(new() { ["SessionGate:Redis"] = redis.Server.Configuration, ["SessionGate:RedisKeyPrefix"] = prefix, ["SessionGate:RedisTimeout"] = "00:00:02" });

        await app.StartAsync();

        Assert.IsType<RedisSignerKeyDirectory>(app.Services.GetRequiredService<ISignerKeyDirectory>());
        Assert.True(app.Services.GetRequiredService<IConnectionMultiplexer>().IsConnected);
        await AssertKeyLandsInRedisAsync(app, app.Services.GetRequiredService<IConnectionMultiplexer>(), prefix);
        await app.StopAsync();
    }

    [Fact]
    public async Task ApplicationMultiplexer_IsUsedAndStaysOpen()
    {
        string prefix = Keys.RedisServerFixture.NewPrefix();
        await using ConnectionMultiplexer own = await ConnectionMultiplexer.ConnectAsync(redis.Server.Configuration);
        WebApplication app = Build(new() { ["SessionGate:RedisKeyPrefix"] = prefix, ["SessionGate:RedisTimeout"] = "00:00:02" }, builder => builder.AddRedis(own));

        await app.StartAsync();
        Assert.Same(own, app.Services.GetRequiredService<IConnectionMultiplexer>());
        await AssertKeyLandsInRedisAsync(app, own, prefix);
        await app.StopAsync();
        await app.DisposeAsync();

        Assert.True(own.IsConnected, "the application's multiplexer is the application's to close");
        Assert.Equal("PONG", (await own.GetDatabase().ExecuteAsync("PING")).ToString());
    }

    private static async Task AssertKeyLandsInRedisAsync(WebApplication app, IConnectionMultiplexer multiplexer, string prefix)
    {
        SignerKeyRecord record = TestKeys.Record(TestKeys.Key(Random.Shared.Next()), Proxy.TestIdentity.Account);

        Assert.Equal(KeyRegistrationResult.Registered, await app.Services.GetRequiredService<ISignerKeyDirectory>().RegisterAsync(record));
        string stored = prefix + "{keys}:key:" + SignerKeyRules.SortKey(record.PublicKey);
        Assert.True(await multiplexer.GetDatabase().KeyExistsAsync(stored), "expected " + stored);
    }

    private static WebApplication Build(Dictionary<string, string?> settings, Action<ISessionGateBuilder>? configure = null)
    {
        WebApplicationBuilder builder = WebApplication.CreateBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Configuration.AddInMemoryCollection(settings);
        ISessionGateBuilder sessionGate = builder.Services.AddSessionGate();
        configure?.Invoke(sessionGate);
        WebApplication app = builder.Build();
        app.UseSessionGate();
        return app;
    }
}
