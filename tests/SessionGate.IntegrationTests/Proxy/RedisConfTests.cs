using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using SessionGate.IntegrationTests.Infrastructure;

namespace SessionGate.IntegrationTests.Proxy;

/// <summary>
/// The repository's <c>redis.conf</c>, run by a real redis-server as documented (<c>mkdir -p data &amp;&amp;
/// redis-server ./redis.conf</c>, in a scratch directory, with only the port overridden): loopback
/// only, protected mode, AOF every second, a 256 MB ceiling without eviction, and data that survives a restart.
/// </summary>
[Collection(GatewayProcessCollection.Name)]
public sealed class RedisConfTests
{
    [Fact]
    public async Task RedisConf_StartedAsDocumented_PersistentLoopbackOnly()
    {
        string conf = Path.Combine(RepositoryRoot(), "redis.conf");
        string data = Directory.CreateTempSubdirectory("sessiongate-redisconf-").FullName;
        Directory.CreateDirectory(Path.Combine(data, "data"));
        int port = RedisServer.FreeTcpPort();
        try
        {
            await using (ChildProcess redis = await StartAsync(conf, port, data))
            {
                Assert.Equal("yes", await ConfigGetAsync(port, "appendonly"));
                Assert.Equal("everysec", await ConfigGetAsync(port, "appendfsync"));
                Assert.Equal("yes", await ConfigGetAsync(port, "protected-mode"));
                Assert.Equal("noeviction", await ConfigGetAsync(port, "maxmemory-policy"));
                Assert.Equal((256L * 1024 * 1024).ToString(System.Globalization.CultureInfo.InvariantCulture), await ConfigGetAsync(port, "maxmemory"));
                Assert.Equal("127.0.0.1 -::1", await ConfigGetAsync(port, "bind"));
                Assert.Equal("", await ConfigGetAsync(port, "requirepass"));
                Assert.Equal("+OK", await CommandAsync(port, "SET", "sessiongate:probe", "kept"));
                await CommandAsync(port, "SHUTDOWN");
                Assert.Equal(0, await redis.WaitForExitAsync(TimeSpan.FromSeconds(30)));
            }

            await using (ChildProcess restarted = await StartAsync(conf, port, data))
            {
                Assert.Equal("$4\r\nkept", await CommandAsync(port, "GET", "sessiongate:probe"));
                Assert.True(Directory.Exists(Path.Combine(data, "data", "appendonlydir")), "the AOF lives under ./data");
            }
        }
        finally
        {
            Directory.Delete(data, recursive: true);
        }
    }

    private static async Task<ChildProcess> StartAsync(string conf, int port, string workingDirectory)
    {
        ChildProcess redis = ChildProcess.Start("redis-server", [conf, "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture)], workingDirectory: workingDirectory);
        await Eventually.HoldsAsync(
            async () =>
            {
                try
                {
                    return await CommandAsync(port, "PING") == "+PONG";
                }
                catch (SocketException)
                {
                    return redis.HasExited ? throw new Xunit.Sdk.XunitException("redis-server exited:\n" + redis.Output) : false;
                }
            },
            TimeSpan.FromSeconds(20),
            "redis-server answers PING");
        return redis;
    }

    private static async Task<string> ConfigGetAsync(int port, string name)
    {
        // *2\r\n$<n>\r\nname\r\n$<m>\r\nvalue\r\n
        string[] parts = (await CommandAsync(port, "CONFIG", "GET", name)).Split("\r\n");
        return parts.Length >= 5 ? parts[4] : parts is [_, _, _, "$0"] ? "" : throw new Xunit.Sdk.XunitException($"Unexpected answer to CONFIG GET {name}: {string.Join("|", parts)}");
    }

    /// <summary>Sends one RESP command and returns the raw answer without its final CRLF.</summary>
    private static async Task<string> CommandAsync(int port, params string[] words)
    {
        using var client = new TcpClient();
        await client.ConnectAsync(IPAddress.Loopback, port);
        NetworkStream stream = client.GetStream();
        var command = new StringBuilder().Append('*').Append(words.Length).Append("\r\n");
        foreach (string word in words)
        {
            command.Append('$').Append(Encoding.UTF8.GetByteCount(word)).Append("\r\n").Append(word).Append("\r\n");
        }

        await stream.WriteAsync(Encoding.UTF8.GetBytes(command.ToString()));
        byte[] buffer = new byte[4096];
        var answer = new StringBuilder();
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        do
        {
            int read = await stream.ReadAsync(buffer, deadline.Token);
            if (read == 0)
            {
                break;   // SHUTDOWN closes the connection without an answer
            }

            answer.Append(Encoding.UTF8.GetString(buffer, 0, read));
        }
        while (!IsComplete(answer.ToString()));
        return answer.ToString().TrimEnd('\r', '\n');
    }

    private static bool IsComplete(string answer) => answer.Length > 0 && answer[0] switch
    {
        '*' => answer.Split("\r\n").Length >= 6 || answer.StartsWith("*0", StringComparison.Ordinal),
        '$' => answer.StartsWith("$-1", StringComparison.Ordinal) ? answer.EndsWith("\r\n", StringComparison.Ordinal) : answer.Split("\r\n").Length >= 3,
        _ => answer.EndsWith("\r\n", StringComparison.Ordinal),
    };

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
