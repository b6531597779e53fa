using SessionGate.IntegrationTests.Infrastructure;

namespace SessionGate.IntegrationTests.Keys;

/// <summary>One redis-server per test class; tests keep apart by using their own key prefix.</summary>
public sealed class RedisServerFixture : IAsyncLifetime
{
    private RedisServer? _server;

    public RedisServer Server => _server ?? throw new InvalidOperationException("The fixture is not initialized.");

    public async Task InitializeAsync() => _server = await RedisServer.StartAsync();

    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }

    /// <summary>A key prefix no other test uses; instances given the same prefix share one directory.</summary>
    public static string NewPrefix() => $"test-{Guid.NewGuid():N}:";
}
