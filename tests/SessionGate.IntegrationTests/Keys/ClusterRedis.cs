using System.Net;
using System.Net.Sockets;
using System.Text;
using SessionGate.IntegrationTests.Infrastructure;

namespace SessionGate.IntegrationTests.Keys;

/// <summary>
/// A one-node Redis Cluster (cluster mode on, every slot assigned to the node). Redis checks hash slots
/// itself in cluster mode, so a script whose keys span slots fails with CROSSSLOT here exactly as it
/// would on a real multi-node cluster: the test for the key layouts' hash tags. A class fixture.
/// </summary>
public sealed class ClusterRedis : IAsyncLifetime
{
    private RedisServer? _server;

    public RedisServer Server => _server ?? throw new InvalidOperationException("The fixture is not initialized.");

    public async Task InitializeAsync()
    {
        // The cluster bus port defaults to port + 10000, past 65535 for high ephemeral ports: pick one.
        string busPort = RedisServer.FreeTcpPort().ToString(System.Globalization.CultureInfo.InvariantCulture);
        _server = await RedisServer.StartAsync("--cluster-enabled", "yes", "--cluster-config-file", "nodes.conf", "--cluster-port", busPort);
        await CommandAsync(_server.Port, "CLUSTER", "ADDSLOTSRANGE", "0", "16383");
        await Eventually.HoldsAsync(
            async () => (await CommandAsync(_server.Port, "CLUSTER", "INFO")).Contains("cluster_state:ok", StringComparison.Ordinal),
            TimeSpan.FromSeconds(15),
            "the one-node cluster is up");
    }

    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }

    /// <summary>Sends one command over a fresh socket (RESP) and returns the raw reply.</summary>
    public static async Task<string> CommandAsync(int port, params string[] arguments)
    {
        var request = new StringBuilder().Append('*').Append(arguments.Length).Append("\r\n");
        foreach (string argument in arguments)
        {
            request.Append('$').Append(Encoding.UTF8.GetByteCount(argument)).Append("\r\n").Append(argument).Append("\r\n");
        }

        using var client = new TcpClient();
        await client.ConnectAsync(IPAddress.Loopback, port);
        NetworkStream stream = client.GetStream();
        await stream.WriteAsync(Encoding.UTF8.GetBytes(request.ToString()));
        byte[] buffer = new byte[8192];
        int read = await stream.ReadAsync(buffer);
        return Encoding.UTF8.GetString(buffer, 0, read);
    }
}
