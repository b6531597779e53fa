using System.Diagnostics;
using System.Globalization;
using SessionGate.IntegrationTests.Infrastructure;
using SessionGate.Storage.Redis;

namespace SessionGate.IntegrationTests.RateLimiting;

/// <summary>
/// A three-primary Redis Cluster on loopback: three <see cref="RedisServer"/> processes with cluster
/// mode on (each with its own nodes.conf in its own data directory and a free cluster-bus port, since
/// port + 10000 may not be free or even valid), joined by <c>redis-cli --cluster create</c>.
/// </summary>
public sealed class RedisCluster : IAsyncDisposable
{
    private RedisCluster(IReadOnlyList<RedisServer> nodes) => Nodes = nodes;

    /// <summary>The three primaries.</summary>
    public IReadOnlyList<RedisServer> Nodes { get; }

    /// <summary>A StackExchange.Redis configuration string naming every node.</summary>
    public string Configuration => string.Join(',', Nodes.Select(n => n.Configuration));

    /// <summary>Starts the nodes, creates the cluster and waits until every node reports cluster_state:ok.</summary>
    public static async Task<RedisCluster> StartAsync()
    {
        var nodes = new List<RedisServer>();
        try
        {
            for (int i = 0; i < 3; i++)
            {
                string busPort = RedisServer.FreeTcpPort().ToString(CultureInfo.InvariantCulture);
                nodes.Add(await RedisServer.StartAsync("--cluster-enabled", "yes", "--cluster-config-file", "nodes.conf", "--cluster-port", busPort));
            }

            var cluster = new RedisCluster(nodes);
            (int code, string output) = await RedisCliAsync(
                ["--cluster", "create", .. nodes.Select(n => n.Configuration), "--cluster-replicas", "0", "--cluster-yes"]);
            if (code != 0)
            {
                throw new InvalidOperationException("redis-cli --cluster create failed: " + output);
            }

            await Eventually.HoldsAsync(cluster.IsReadyAsync, TimeSpan.FromSeconds(30), "every node reports cluster_state:ok");
            return cluster;
        }
        catch
        {
            foreach (RedisServer node in nodes)
            {
                await node.DisposeAsync();
            }

            throw;
        }
    }

    /// <summary>Connects to the cluster (all endpoints given, so no node has to be discovered first).</summary>
    public Task<RedisConnection> ConnectAsync(string keyPrefix) =>
        RedisConnection.ConnectAsync(new RedisOptions { Configuration = Configuration, KeyPrefix = keyPrefix, OperationTimeout = TimeSpan.FromSeconds(2) });

    /// <summary>Keys stored on each node (DBSIZE), in node order.</summary>
    public async Task<long[]> KeyCountsAsync()
    {
        var counts = new long[Nodes.Count];
        for (int i = 0; i < Nodes.Count; i++)
        {
            (_, string output) = await RedisCliAsync(["-p", Nodes[i].Port.ToString(CultureInfo.InvariantCulture), "DBSIZE"]);
            counts[i] = long.Parse(output.Trim(), CultureInfo.InvariantCulture);
        }

        return counts;
    }

    /// <summary>Runs redis-cli with <paramref name="arguments"/> and returns its exit code and output.</summary>
    public static async Task<(int Code, string Output)> RedisCliAsync(IEnumerable<string> arguments)
    {
        var start = new ProcessStartInfo("redis-cli") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using Process process = Process.Start(start) ?? throw new InvalidOperationException("redis-cli did not start");
        Task<string> output = process.StandardOutput.ReadToEndAsync();
        Task<string> error = process.StandardError.ReadToEndAsync();
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await process.WaitForExitAsync(deadline.Token);
        return (process.ExitCode, await output + await error);
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        foreach (RedisServer node in Nodes)
        {
            await node.DisposeAsync();
        }
    }

    private async Task<bool> IsReadyAsync()
    {
        foreach (RedisServer node in Nodes)
        {
            (_, string info) = await RedisCliAsync(["-p", node.Port.ToString(CultureInfo.InvariantCulture), "CLUSTER", "INFO"]);
            if (!info.Contains("cluster_state:ok", StringComparison.Ordinal))
            {
                return false;
            }
        }

        return true;
    }
}
