using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using SessionGate.Chain;
using SessionGate.Protocol;

namespace SessionGate.Testing.Nodes;

/// <summary>
/// A fake Tendermint node: serves <c>/status</c>, <c>/block?height=</c> and <c>/block_by_hash?hash=</c>
/// from its <see cref="Blocks"/> as Tendermint does, in-process or on 127.0.0.1 (<see cref="StartAsync"/>),
/// with a chain that grows when the test says so and an optional gate holding <c>/block_by_hash</c>.
/// </summary>
public sealed class FakeTendermintNode : FakeNode
{
    private readonly ConcurrentDictionary<long, BlockInfo> _byHeight = new();

    // Distinct per node, so the blocks of two nodes (or two test runs on one Redis) never share a hash.
    private readonly string _seed = Guid.NewGuid().ToString("N");

    /// <summary>Answers /status in INTERX's shape (the <c>result</c> object without the JSON-RPC envelope).</summary>
    public bool InterxStatusShape { get; set; }

    /// <summary>The network (chain id) <c>/status</c> reports as <c>result.node_info.network</c>; may change while running.</summary>
    public string Network { get; set; } = TendermintSamples.DefaultNetwork;

    /// <summary>When set, <c>/block_by_hash</c> answers only once this task completes.</summary>
    public Task? BlockByHashGate { get; set; }

    public IReadOnlyCollection<BlockInfo> Blocks => [.. _byHeight.Values];

    /// <summary>The highest block.</summary>
    public BlockInfo Head => TryGetHead() ?? throw new InvalidOperationException("The node has no blocks yet.");

    public BlockInfo this[long height] => _byHeight[height];

    /// <summary>Starts a node on 127.0.0.1 (a free port) with <paramref name="blocks"/> blocks timed "now".</summary>
    public static async Task<FakeTendermintNode> StartAsync(int blocks)
    {
        var node = new FakeTendermintNode();
        node.Produce(blocks);
        await node.ServeAsync();
        return node;
    }

    public void Add(params BlockInfo[] blocks)
    {
        ArgumentNullException.ThrowIfNull(blocks);
        foreach (BlockInfo block in blocks)
        {
            _byHeight[block.Height] = block;
        }
    }

    /// <summary>Adds <paramref name="count"/> blocks above the head, timed "now": the last becomes the head.</summary>
    public BlockInfo[] Produce(int count)
    {
        long first = (TryGetHead()?.Height ?? 0) + 1;
        BlockInfo[] blocks = [.. Enumerable.Range(0, count).Select(i => TendermintSamples.MakeBlock(first + i, TimeProvider.System.GetUtcNow(), _seed))];
        Add(blocks);
        return blocks;
    }

    /// <summary>The heights asked for on <c>/block</c>, in order.</summary>
    public IReadOnlyList<long> RequestedHeights() =>
        [.. Requests.Where(u => u.AbsolutePath == "/block").Select(u => long.Parse(u.Query["?height=".Length..], CultureInfo.InvariantCulture))];

    protected override async Task<HttpResponseMessage> AnswerAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        Uri uri = request.RequestUri!;
        string query = Uri.UnescapeDataString(uri.Query);
        switch (uri.AbsolutePath)
        {
            case "/status" when TryGetHead() is { } head:
                return Json(InterxStatusShape ? TendermintSamples.InterxStatus(head, Network) : TendermintSamples.Status(head, Network));
            case "/block" when query.StartsWith("?height=", StringComparison.Ordinal)
                && _byHeight.TryGetValue(long.Parse(query["?height=".Length..], CultureInfo.InvariantCulture), out BlockInfo? block):
                return Json(TendermintSamples.Block(block));
            case "/block":
                return Json(TendermintSamples.RpcError("height must be less than or equal to the current blockchain height"), HttpStatusCode.InternalServerError);
            case "/block_by_hash":
                if (BlockByHashGate is { } gate)
                {
                    await gate.WaitAsync(cancellationToken);
                }

                if (!query.StartsWith("?hash=", StringComparison.Ordinal) || !Bytes32.TryParseHex(query.AsSpan("?hash=".Length), out Bytes32 hash))
                {
                    return Json(TendermintSamples.RpcError("invalid hash"), HttpStatusCode.InternalServerError);
                }

                BlockInfo? match = _byHeight.Values.FirstOrDefault(b => b.Hash == hash);
                return Json(match is null ? TendermintSamples.NullBlock : TendermintSamples.Block(match));
            default:
                return Json(TendermintSamples.RpcError("unknown request"), HttpStatusCode.InternalServerError);
        }
    }

    private BlockInfo? TryGetHead() => _byHeight.IsEmpty ? null : _byHeight[_byHeight.Keys.Max()];
}
