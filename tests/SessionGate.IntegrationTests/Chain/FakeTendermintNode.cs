using System.Collections.Concurrent;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using SessionGate.Chain;
using SessionGate.Protocol;

namespace SessionGate.IntegrationTests.Chain;

/// <summary>
/// A fake Tendermint node: a real Kestrel app on 127.0.0.1 (free port) serving <c>/status</c>,
/// <c>/block?height=</c> and <c>/block_by_hash?hash=</c> like Tendermint does, with request counters,
/// a chain that advances when the test says so, and an optional gate holding <c>/block_by_hash</c>.
/// </summary>
internal sealed class FakeTendermintNode : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<long, BlockInfo> _byHeight = new();
    private readonly ConcurrentDictionary<Bytes32, BlockInfo> _byHash = new();
    private readonly string _seed = Guid.NewGuid().ToString("N");
    private long _head;
    private int _statusRequests;
    private int _blockRequests;
    private int _blockByHashRequests;
    private bool _stopped;

    private FakeTendermintNode(WebApplication app) => _app = app;

    public Uri BaseUri { get; private set; } = null!;

    public int StatusRequests => Volatile.Read(ref _statusRequests);

    public int BlockRequests => Volatile.Read(ref _blockRequests);

    public int BlockByHashRequests => Volatile.Read(ref _blockByHashRequests);

    /// <summary>When set, <c>/block_by_hash</c> answers only once this task completes.</summary>
    public Task? BlockByHashGate { get; set; }

    public BlockInfo Head => _byHeight[Interlocked.Read(ref _head)];

    public BlockInfo this[long height] => _byHeight[height];

    public static async Task<FakeTendermintNode> StartAsync(int blocks)
    {
        WebApplicationBuilder builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        WebApplication app = builder.Build();
        var node = new FakeTendermintNode(app);
        node.Produce(blocks);
        app.MapGet("/status", node.Status);
        app.MapGet("/block", node.Block);
        app.MapGet("/block_by_hash", node.BlockByHashAsync);
        await app.StartAsync();
        node.BaseUri = new Uri(app.Urls.Single());
        await node.WarmUpAsync();
        return node;
    }

    /// <summary>Adds <paramref name="count"/> blocks timed "now", then moves the head to the last one.</summary>
    public BlockInfo[] Produce(int count)
    {
        long first = Interlocked.Read(ref _head) + 1;
        var blocks = new BlockInfo[count];
        for (int i = 0; i < count; i++)
        {
            long height = first + i;
            byte[] hash = SHA256.HashData(Encoding.UTF8.GetBytes(_seed + height.ToString(CultureInfo.InvariantCulture)));
            blocks[i] = new BlockInfo(height, new Bytes32(hash), TimeProvider.System.GetUtcNow());
            _byHeight[height] = blocks[i];
            _byHash[blocks[i].Hash] = blocks[i];
        }

        Interlocked.Exchange(ref _head, first + count - 1);
        return blocks;
    }

    /// <summary>
    /// Calls each endpoint once and resets the counters: the first request to a minimal-API route
    /// compiles its delegate, which can take longer than a short request timeout on a busy machine.
    /// </summary>
    private async Task WarmUpAsync()
    {
        using var client = new HttpClient { BaseAddress = BaseUri };
        foreach (string path in new[] { "status", "block?height=1", "block_by_hash?hash=0x" + new string('0', 64) })
        {
            using HttpResponseMessage response = await client.GetAsync(new Uri(path, UriKind.Relative));
        }

        Interlocked.Exchange(ref _statusRequests, 0);
        Interlocked.Exchange(ref _blockRequests, 0);
        Interlocked.Exchange(ref _blockByHashRequests, 0);
    }

    /// <summary>Stops listening: later requests fail with "connection refused".</summary>
    public async Task StopAsync()
    {
        if (!_stopped)
        {
            _stopped = true;
            await _app.StopAsync();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        await _app.DisposeAsync();
    }

    private IResult Status()
    {
        Interlocked.Increment(ref _statusRequests);
        return Json(NodeJson.Status(Head));
    }

    private IResult Block(long height)
    {
        Interlocked.Increment(ref _blockRequests);
        return _byHeight.TryGetValue(height, out BlockInfo? block)
            ? Json(NodeJson.Block(block))
            : Json(NodeJson.RpcError("height must be less than or equal to the current blockchain height"), StatusCodes.Status500InternalServerError);
    }

    private async Task<IResult> BlockByHashAsync(string hash, HttpContext context)
    {
        Interlocked.Increment(ref _blockByHashRequests);
        if (BlockByHashGate is { } gate)
        {
            await gate.WaitAsync(context.RequestAborted);
        }

        if (!Bytes32.TryParseHex(hash, out Bytes32 key))
        {
            return Json(NodeJson.RpcError("invalid hash"), StatusCodes.Status500InternalServerError);
        }

        return Json(_byHash.TryGetValue(key, out BlockInfo? block) ? NodeJson.Block(block) : NodeJson.NullBlock);
    }

    private static IResult Json(string body, int status = StatusCodes.Status200OK) =>
        Results.Content(body, "application/json", Encoding.UTF8, status);
}
