using SessionGate.IntegrationTests.Infrastructure;

namespace SessionGate.IntegrationTests.Proxy;

/// <summary>
/// One real gateway process in front of a fake upstream, with a route for each per-route setting:
/// <c>/api</c> (session required), <c>/open</c> (anonymous allowed), <c>/off</c> (disabled),
/// <c>/costly</c> (cost 5), <c>/slow</c> (upstream times out after 1 s), <c>/down</c> (nothing listens),
/// <c>/policy</c> (YARP <c>AuthorizationPolicy</c> = <c>SessionGate.Session</c>), <c>/unlimited</c>
/// (YARP <c>RateLimiterPolicy</c> = <c>Disable</c>).
/// </summary>
public sealed class ProxyGatewayFixture : IAsyncLifetime
{
    private FakeUpstream? _upstream;
    private GatewayProcess? _gateway;

    internal FakeUpstream Upstream => _upstream ?? throw new InvalidOperationException("Not initialized.");

    internal GatewayProcess Gateway => _gateway ?? throw new InvalidOperationException("Not initialized.");

    public async Task InitializeAsync()
    {
        _upstream = await FakeUpstream.StartAsync();
        _gateway = await GatewayProcess.StartAsync(Settings(_upstream.Address, RedisServer.FreeTcpPort()));
    }

    public async Task DisposeAsync()
    {
        if (_gateway is not null)
        {
            await _gateway.DisposeAsync();
        }

        if (_upstream is not null)
        {
            await _upstream.DisposeAsync();
        }
    }

    internal static Dictionary<string, string?> Settings(Uri upstream, int deadPort)
    {
        Dictionary<string, string?> settings = TestIdentity.KeySettings();
        void Route(string id, string path, string cluster, string? metadataKey = null, string? metadataValue = null)
        {
            settings[$"ReverseProxy:Routes:{id}:ClusterId"] = cluster;
            settings[$"ReverseProxy:Routes:{id}:Match:Path"] = path + "/{**rest}";
            if (metadataKey is not null)
            {
                settings[$"ReverseProxy:Routes:{id}:Metadata:{metadataKey}"] = metadataValue;
            }
        }

        Route("api", "/api", "up", "SessionGate.RequireSession", "true");
        Route("open", "/open", "up");
        Route("off", "/off", "up", "SessionGate.Enabled", "false");
        Route("costly", "/costly", "up", "SessionGate.Cost", "5");
        Route("slow", "/slow", "slow");
        Route("down", "/down", "down");
        Route("policy", "/policy", "up");
        settings["ReverseProxy:Routes:policy:AuthorizationPolicy"] = "SessionGate.Session";
        Route("unlimited", "/unlimited", "up");
        settings["ReverseProxy:Routes:unlimited:RateLimiterPolicy"] = "Disable";
        settings["ReverseProxy:Clusters:up:Destinations:d1:Address"] = upstream.ToString();
        settings["ReverseProxy:Clusters:slow:Destinations:d1:Address"] = upstream.ToString();
        settings["ReverseProxy:Clusters:slow:HttpRequest:ActivityTimeout"] = "00:00:01";
        settings["ReverseProxy:Clusters:down:Destinations:d1:Address"] = $"http://127.0.0.1:{deadPort}/";

        // Generous limits: these tests are about proxying; ProxyRateLimitTests sets tight ones.
        settings["SessionGate:RateLimiting:Anonymous:PermitsPerMinute"] = "100000";
        settings["SessionGate:RateLimiting:Anonymous:Burst"] = "10000";
        settings["SessionGate:RateLimiting:Tiers:0:Name"] = "free";
        settings["SessionGate:RateLimiting:Tiers:0:MinBalance"] = "0";
        settings["SessionGate:RateLimiting:Tiers:0:PermitsPerMinute"] = "100000";
        settings["SessionGate:RateLimiting:Tiers:0:Burst"] = "10000";
        return settings;
    }

    /// <summary>
    /// <see cref="Settings"/> with Redis at <paramref name="redis"/>: a key prefix of the test's own and
    /// a 1 s operation timeout (generous for a loaded 2-core machine, short enough for outage tests).
    /// </summary>
    internal static Dictionary<string, string?> SettingsWithRedis(Uri upstream, RedisServer redis)
    {
        Dictionary<string, string?> settings = Settings(upstream, RedisServer.FreeTcpPort());
        settings["SessionGate:Redis"] = redis.Configuration;
        settings["SessionGate:RedisKeyPrefix"] = $"test-{Guid.NewGuid():N}:";
        settings["SessionGate:RedisTimeout"] = "00:00:01";
        return settings;
    }
}
