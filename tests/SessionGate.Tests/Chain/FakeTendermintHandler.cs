using System.Collections.Concurrent;
using System.Net;
using System.Text;
using SessionGate.Chain;
using SessionGate.Protocol;

namespace SessionGate.Tests.Chain;

/// <summary>
/// A hand-written fake Tendermint node behind an <see cref="HttpMessageHandler"/>: serves
/// <c>/status</c>, <c>/block?height=</c> and <c>/block_by_hash?hash=</c> from <see cref="Blocks"/>,
/// records every request, and lets a test replace the answer (<see cref="Respond"/>).
/// </summary>
internal sealed class FakeTendermintHandler : HttpMessageHandler
{
    private readonly ConcurrentQueue<Uri> _requests = new();
    private readonly ConcurrentDictionary<long, BlockInfo> _byHeight = new();

    /// <summary>When set, answers every request instead of the built-in routes (return null to fall through).</summary>
    public Func<HttpRequestMessage, CancellationToken, Task<HttpResponseMessage?>>? Respond { get; set; }

    /// <summary>Answers /status in INTERX's shape (the <c>result</c> object without the JSON-RPC envelope).</summary>
    public bool InterxStatusShape { get; set; }

    public IReadOnlyList<Uri> Requests => [.. _requests];

    public IReadOnlyCollection<BlockInfo> Blocks => [.. _byHeight.Values];

    public BlockInfo? Head => _byHeight.IsEmpty ? null : _byHeight[_byHeight.Keys.Max()];

    public int Count(string path) => _requests.Count(u => u.AbsolutePath == path);

    public IReadOnlyList<long> RequestedHeights() =>
        [.. _requests.Where(u => u.AbsolutePath == "/block").Select(u => long.Parse(u.Query["?height=".Length..], System.Globalization.CultureInfo.InvariantCulture))];

    public void Add(params BlockInfo[] blocks)
    {
        foreach (BlockInfo block in blocks)
        {
            _byHeight[block.Height] = block;
        }
    }

    public static HttpResponseMessage Json(string body, HttpStatusCode status = HttpStatusCode.OK) =>
        new(status) { Content = new StringContent(body, Encoding.UTF8, "application/json") };

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        Uri uri = request.RequestUri!;
        _requests.Enqueue(uri);
        if (Respond is { } respond && await respond(request, cancellationToken) is { } custom)
        {
            return custom;
        }

        string query = Uri.UnescapeDataString(uri.Query);
        switch (uri.AbsolutePath)
        {
            case "/status" when Head is { } head:
                return Json(InterxStatusShape ? TendermintSamples.InterxStatus(head) : TendermintSamples.Status(head));
            case "/block" when query.StartsWith("?height=", StringComparison.Ordinal)
                && _byHeight.TryGetValue(long.Parse(query["?height=".Length..], System.Globalization.CultureInfo.InvariantCulture), out BlockInfo? block):
                return Json(TendermintSamples.Block(block));
            case "/block":
                return Json(TendermintSamples.RpcError("height must be less than or equal to the current blockchain height"), HttpStatusCode.InternalServerError);
            case "/block_by_hash" when Bytes32.TryParseHex(query.AsSpan("?hash=".Length), out Bytes32 hash):
                BlockInfo? match = _byHeight.Values.FirstOrDefault(b => b.Hash == hash);
                return Json(match is null ? TendermintSamples.NullBlock : TendermintSamples.Block(match));
            default:
                return Json(TendermintSamples.RpcError("unknown request"), HttpStatusCode.InternalServerError);
        }
    }
}
