using System.Globalization;
using SessionGate.IntegrationTests.Infrastructure;
using SessionGate.IntegrationTests.Proxy;
using SessionGate.IntegrationTests.RateLimiting;

namespace SessionGate.IntegrationTests.Faults;

/// <summary>
/// redis-server run with the repository's own <c>redis.conf</c>, as docs/operations.md documents it
/// (<c>mkdir -p data &amp;&amp; redis-server ./redis.conf</c>, in a scratch directory, only the port
/// overridden). <see cref="KillAsync"/> is SIGKILL; <see cref="StartAsync"/> again reuses the directory.
/// </summary>
internal sealed class RepositoryRedis : IAsyncDisposable
{
    private ChildProcess? _process;

    private RepositoryRedis(string directory, int port)
    {
        Directory = directory;
        Port = port;
    }

    public string Directory { get; }

    public int Port { get; }

    public string Configuration => $"127.0.0.1:{Port}";

    public static RepositoryRedis Create()
    {
        string directory = System.IO.Directory.CreateTempSubdirectory("sessiongate-faults-redisconf-").FullName;
        System.IO.Directory.CreateDirectory(Path.Combine(directory, "data"));
        return new RepositoryRedis(directory, RedisServer.FreeTcpPort());
    }

    public async Task StartAsync()
    {
        string conf = Path.Combine(RepositoryRoot(), "redis.conf");
        _process = ChildProcess.Start("redis-server", [conf, "--port", Port.ToString(CultureInfo.InvariantCulture)], workingDirectory: Directory);
        ChildProcess process = _process;
        await Eventually.HoldsAsync(
            async () => process.HasExited
                ? throw new Xunit.Sdk.XunitException("redis-server exited:\n" + process.Output)
                : (await RedisCluster.RedisCliAsync(["-p", Port.ToString(CultureInfo.InvariantCulture), "PING"])).Output.Trim() == "PONG",
            TimeSpan.FromSeconds(20),
            "redis-server (redis.conf) answers PING, its AOF loaded");
    }

    /// <summary>SIGKILL, as a crash or an OOM kill would.</summary>
    public async Task KillAsync()
    {
        if (_process is not null)
        {
            await _process.DisposeAsync();
            _process = null;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await KillAsync();
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temp directory is harmless.
        }
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
