using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using SessionGate.Storage.Redis;

namespace SessionGate.IntegrationTests.Infrastructure;

/// <summary>
/// A real <c>redis-server</c> process on a free loopback port, with its own data directory. It can be
/// killed and restarted on the same port (for failure tests). Disposing kills it and deletes its data.
/// </summary>
public sealed class RedisServer : IAsyncDisposable
{
    private readonly string _dataDirectory;
    private readonly string[] _extraArguments;
    private Process? _process;

    private RedisServer(int port, string dataDirectory, string[] extraArguments)
    {
        Port = port;
        _dataDirectory = dataDirectory;
        _extraArguments = extraArguments;
    }

    /// <summary>The loopback port Redis listens on.</summary>
    public int Port { get; }

    /// <summary>A StackExchange.Redis configuration string for this server.</summary>
    public string Configuration => $"127.0.0.1:{Port}";

    /// <summary>Starts redis-server (persistence off unless <paramref name="extraArguments"/> turn it on).</summary>
    public static async Task<RedisServer> StartAsync(params string[] extraArguments)
    {
        string dataDirectory = Directory.CreateTempSubdirectory("sessiongate-redis-").FullName;
        var server = new RedisServer(FreeTcpPort(), dataDirectory, extraArguments);
        await server.StartProcessAsync().ConfigureAwait(false);
        return server;
    }

    /// <summary>Connects a <see cref="RedisConnection"/> with a unique key prefix so tests never share keys.</summary>
    public Task<RedisConnection> ConnectAsync(string? keyPrefix = null, TimeSpan? operationTimeout = null) =>
        RedisConnection.ConnectAsync(new RedisOptions
        {
            Configuration = Configuration,
            KeyPrefix = keyPrefix ?? $"test-{Guid.NewGuid():N}:",
            OperationTimeout = operationTimeout ?? TimeSpan.FromSeconds(2),
        });

    /// <summary>Kills the process abruptly (SIGKILL), as a crash would.</summary>
    public async Task KillAsync()
    {
        if (_process is { HasExited: false })
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync().ConfigureAwait(false);
        }

        _process?.Dispose();
        _process = null;
    }

    /// <summary>Starts the process again on the same port and data directory.</summary>
    public Task RestartAsync() => StartProcessAsync();

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await KillAsync().ConfigureAwait(false);
        try
        {
            Directory.Delete(_dataDirectory, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temp directory is harmless.
        }
    }

    private async Task StartProcessAsync()
    {
        var start = new ProcessStartInfo("redis-server")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = _dataDirectory,
        };
        foreach (string arg in new[] { "--port", Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--bind", "127.0.0.1", "--dir", _dataDirectory, "--save", "", "--appendonly", "no" }.Concat(_extraArguments))
        {
            start.ArgumentList.Add(arg);
        }

        try
        {
            _process = Process.Start(start) ?? throw new InvalidOperationException("redis-server did not start");
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new InvalidOperationException("redis-server is not installed (apt-get install redis-server; ./test.sh and .ci/run do this).", e);
        }

        _process.OutputDataReceived += (_, _) => { };
        _process.ErrorDataReceived += (_, _) => { };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        await WaitUntilReadyAsync(TimeSpan.FromSeconds(15)).ConfigureAwait(false);
    }

    private async Task WaitUntilReadyAsync(TimeSpan timeout)
    {
        DateTime deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            if (_process!.HasExited)
            {
                throw new InvalidOperationException($"redis-server exited with code {_process.ExitCode}");
            }

            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync(IPAddress.Loopback, Port).ConfigureAwait(false);
                NetworkStream stream = client.GetStream();
                await stream.WriteAsync("PING\r\n"u8.ToArray()).ConfigureAwait(false);
                byte[] buffer = new byte[64];
                int read = await stream.ReadAsync(buffer).ConfigureAwait(false);
                if (System.Text.Encoding.ASCII.GetString(buffer, 0, read).StartsWith("+PONG", StringComparison.Ordinal))
                {
                    return;
                }
            }
            catch (SocketException)
            {
                // Not listening yet.
            }

            await Task.Delay(20).ConfigureAwait(false);
        }

        throw new TimeoutException($"redis-server did not answer PING on port {Port} within {timeout}");
    }

    /// <summary>A currently free TCP port on loopback.</summary>
    public static int FreeTcpPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
