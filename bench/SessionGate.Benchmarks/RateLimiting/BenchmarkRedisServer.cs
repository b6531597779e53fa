using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace SessionGate.Benchmarks.RateLimiting;

/// <summary>A throwaway local redis-server (persistence off, loopback, free port) for one benchmark process.</summary>
internal sealed class BenchmarkRedisServer : IDisposable
{
    private readonly Process _process;
    private readonly string _directory;

    private BenchmarkRedisServer(Process process, string directory, int port)
    {
        _process = process;
        _directory = directory;
        Port = port;
    }

    public int Port { get; }

    public string Configuration => "127.0.0.1:" + Port.ToString(CultureInfo.InvariantCulture);

    public static BenchmarkRedisServer Start()
    {
        int port;
        using (var listener = new TcpListener(IPAddress.Loopback, 0))
        {
            listener.Start();
            port = ((IPEndPoint)listener.LocalEndpoint).Port;
        }

        string directory = Directory.CreateTempSubdirectory("sessiongate-bench-redis-").FullName;
        var start = new ProcessStartInfo("redis-server") { RedirectStandardOutput = true, WorkingDirectory = directory };
        foreach (string argument in new[] { "--port", port.ToString(CultureInfo.InvariantCulture), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", directory })
        {
            start.ArgumentList.Add(argument);
        }

        Process process = Process.Start(start) ?? throw new InvalidOperationException("redis-server did not start (apt-get install redis-server)");
        process.OutputDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        var server = new BenchmarkRedisServer(process, directory, port);
        DateTime deadline = DateTime.UtcNow.AddSeconds(15);
        while (!server.Cli("PING").StartsWith("PONG", StringComparison.Ordinal))
        {
            if (DateTime.UtcNow > deadline || process.HasExited)
            {
                server.Dispose();
                throw new InvalidOperationException("redis-server did not answer PING");
            }

            Thread.Sleep(20);
        }

        return server;
    }

    /// <summary>Runs one redis-cli command against this server and returns its output.</summary>
    public string Cli(params string[] arguments)
    {
        var start = new ProcessStartInfo("redis-cli") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add("-p");
        start.ArgumentList.Add(Port.ToString(CultureInfo.InvariantCulture));
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using Process cli = Process.Start(start) ?? throw new InvalidOperationException("redis-cli did not start");
        string output = cli.StandardOutput.ReadToEnd();
        cli.WaitForExit();
        return output;
    }

    /// <summary>The <c>calls</c> of one command in INFO commandstats (0 when absent).</summary>
    public long Calls(string command)
    {
        string prefix = "cmdstat_" + command + ":calls=";
        string? line = Cli("INFO", "commandstats").Split('\n').FirstOrDefault(l => l.StartsWith(prefix, StringComparison.Ordinal));
        return line is null ? 0 : long.Parse(line[prefix.Length..line.IndexOf(',', StringComparison.Ordinal)], CultureInfo.InvariantCulture);
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
            _process.WaitForExit();
        }

        _process.Dispose();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temp directory is harmless.
        }
    }
}
