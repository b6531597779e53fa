using System.Globalization;
using System.Net;
using System.Net.Sockets;
using SessionGate.IntegrationTests.Infrastructure;
using SessionGate.IntegrationTests.Proxy;

namespace SessionGate.IntegrationTests.Admin;

/// <summary>
/// redis-server run with the repository's <c>redis.conf</c> as documented (in a scratch directory with
/// <c>./data</c>, only the port overridden), stoppable with SHUTDOWN and restartable on the same data.
/// </summary>
internal sealed class RepositoryRedis : IAsyncDisposable
{
    private readonly string _directory;
    private ChildProcess? _process;

    private RepositoryRedis(string directory, int port)
    {
        _directory = directory;
        Port = port;
    }

    public int Port { get; }

    public string Configuration => "127.0.0.1:" + Port.ToString(CultureInfo.InvariantCulture);

    public static async Task<RepositoryRedis> StartAsync()
    {
        string directory = Directory.CreateTempSubdirectory("sessiongate-admin-redis-").FullName;
        Directory.CreateDirectory(Path.Combine(directory, "data"));
        var redis = new RepositoryRedis(directory, RedisServer.FreeTcpPort());
        await redis.StartProcessAsync();
        return redis;
    }

    /// <summary>Stops Redis as an operator restart does (SHUTDOWN: the append-only file is flushed).</summary>
    public async Task ShutdownAsync()
    {
        await CommandAsync("SHUTDOWN");
        Assert.Equal(0, await _process!.WaitForExitAsync(TimeSpan.FromSeconds(30)));
        await _process.DisposeAsync();
        _process = null;
    }

    public Task RestartAsync() => StartProcessAsync();

    public async ValueTask DisposeAsync()
    {
        if (_process is not null)
        {
            await _process.DisposeAsync();
        }

        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temp directory is harmless.
        }
    }

    private async Task StartProcessAsync()
    {
        string conf = Path.Combine(RepositoryRoot(), "redis.conf");
        _process = ChildProcess.Start("redis-server", [conf, "--port", Port.ToString(CultureInfo.InvariantCulture)], workingDirectory: _directory);
        await Eventually.HoldsAsync(
            async () =>
            {
                try
                {
                    return await CommandAsync("PING") == "+PONG";
                }
                catch (SocketException)
                {
                    return _process.HasExited ? throw new Xunit.Sdk.XunitException("redis-server exited:\n" + _process.Output) : false;
                }
            },
            TimeSpan.FromSeconds(30),
            "redis-server answers PING");
    }

    /// <summary>One inline command; the first line of the answer (or "" when the server closed the connection).</summary>
    private async Task<string> CommandAsync(string command)
    {
        using var client = new TcpClient();
        await client.ConnectAsync(IPAddress.Loopback, Port);
        NetworkStream stream = client.GetStream();
        await stream.WriteAsync(System.Text.Encoding.ASCII.GetBytes(command + "\r\n"));
        byte[] buffer = new byte[256];
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        int read = await stream.ReadAsync(buffer, deadline.Token);
        return System.Text.Encoding.ASCII.GetString(buffer, 0, read).Split("\r\n")[0];
    }

    private static string RepositoryRoot()
    {
        for (DirectoryInfo? dir = new(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "SessionGate.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("SessionGate.sln not found above " + AppContext.BaseDirectory);
    }
}
