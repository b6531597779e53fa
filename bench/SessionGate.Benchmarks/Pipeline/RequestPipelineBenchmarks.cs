using BenchmarkDotNet.Attributes;
using SessionGate.Benchmarks.RateLimiting;
using SessionGate.Crypto;
using SessionGate.Protocol;

namespace SessionGate.Benchmarks.Pipeline;

/// <summary>
/// What SessionGate adds to one request with a reused (cached) <c>kira_session</c> header, in process:
/// the bare pipeline (routing and a 200 endpoint: what B's YARP app has around its proxy hop) against
/// the same app with SessionGate as <c>sessiongate serve</c> composes it, with the embedded in-memory
/// stores (bench/load's C0) and with Redis and leased permits (C). The difference in time and in
/// allocated bytes per operation is SessionGate's added cost per cached request (issue 16's targets:
/// ≤ 5 µs, ≤ 200 B), without the sockets, HTTP parsing and proxy hop, which are the same in both.
/// </summary>
[MemoryDiagnoser]
public class RequestPipelineBenchmarks
{
    private PipelineHost _bare = null!;
    private PipelineHost _inMemory = null!;
    private PipelineHost _redis = null!;
    private BenchmarkRedisServer _redisServer = null!;
    private string _inMemoryHeader = null!;
    private string _redisHeader = null!;

    [GlobalSetup]
    public async Task SetupAsync()
    {
        Sr25519KeyPair key = Sr25519KeyPair.FromMiniSecret(Enumerable.Repeat((byte)7, 32).ToArray());
        string account = AccountAddress.Encode("kira", new byte[20]);
        _bare = await PipelineHost.StartAsync(null);
        _inMemory = await PipelineHost.StartAsync(Settings(key, account, redis: null));
        _redisServer = BenchmarkRedisServer.Start();
        _redis = await PipelineHost.StartAsync(Settings(key, account, _redisServer.Configuration));
        _inMemoryHeader = KiraSessionHeader.Create(key, account, await _inMemory.LatestBlockHashAsync());
        _redisHeader = KiraSessionHeader.Create(key, account, await _redis.LatestBlockHashAsync());
        foreach ((PipelineHost host, string header) in new[] { (_bare, _inMemoryHeader), (_inMemory, _inMemoryHeader), (_redis, _redisHeader) })
        {
            int status = await host.SendAsync(PipelineHost.RoutePath, header);
            if (status != 200)
            {
                throw new InvalidOperationException($"setup request answered {status}");
            }
        }
    }

    [GlobalCleanup]
    public async Task CleanupAsync()
    {
        await _bare.DisposeAsync();
        await _inMemory.DisposeAsync();
        await _redis.DisposeAsync();
        _redisServer.Dispose();
    }

    [Benchmark(Baseline = true)]
    public Task<int> Bare() => _bare.SendAsync(PipelineHost.RoutePath, _inMemoryHeader);

    [Benchmark]
    public Task<int> SessionGateInMemory() => _inMemory.SendAsync(PipelineHost.RoutePath, _inMemoryHeader);

    [Benchmark]
    public Task<int> SessionGateRedisLeased() => _redis.SendAsync(PipelineHost.RoutePath, _redisHeader);

    private static Dictionary<string, string?> Settings(Sr25519KeyPair key, string account, string? redis)
    {
        var settings = new Dictionary<string, string?>
        {
            ["SessionGate:Keys:0:PublicKey"] = HexCodec.Encode(key.PublicKey),
            ["SessionGate:Keys:0:Account"] = account,
            ["SessionGate:Keys:0:Expires"] = "2099-01-01T00:00:00Z",
            ["SessionGate:RateLimiting:Tiers:0:Name"] = "bench",
            ["SessionGate:RateLimiting:Tiers:0:MinBalance"] = "0",
            ["SessionGate:RateLimiting:Tiers:0:PermitsPerMinute"] = "60000000",
            ["SessionGate:RateLimiting:Tiers:0:Burst"] = "10000000",
        };
        if (redis is not null)
        {
            settings["SessionGate:Redis"] = redis;
            settings["SessionGate:RateLimiting:Leases:Enabled"] = "true";
        }

        return settings;
    }
}
