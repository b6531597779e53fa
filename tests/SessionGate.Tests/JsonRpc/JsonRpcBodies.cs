using System.Buffers;
using System.Text;
using SessionGate.JsonRpc;

namespace SessionGate.Tests.JsonRpc;

/// <summary>Test helpers: a method table like an Ethereum provider's, and bodies split into segments.</summary>
internal static class JsonRpcBodies
{
    /// <summary>Alchemy-like costs: exact names, prefixes, a default of 1; debug_* disabled.</summary>
    public static JsonRpcMethodTable Table(IEnumerable<string>? allowed = null) => new(
        1,
        new Dictionary<string, int>
        {
            ["eth_blockNumber"] = 10,
            ["eth_call"] = 26,
            ["eth_get*"] = 20,
            ["eth_getLogs"] = 75,
            ["eth_getBlock*"] = 16,
            ["status"] = 3,
        },
        ["debug_*", "admin_addPeer"],
        allowed);

    public static JsonRpcBody Parse(string body, JsonRpcMethodTable? table = null, int maxBatchSize = 100) =>
        JsonRpcParser.Parse(Encoding.UTF8.GetBytes(body), table ?? Table(), maxBatchSize);

    /// <summary><paramref name="bytes"/> as a sequence of segments cut at <paramref name="cuts"/> (what Kestrel's pipe hands over).</summary>
    public static ReadOnlySequence<byte> Segmented(byte[] bytes, IEnumerable<int> cuts)
    {
        int[] points = [.. cuts.Where(c => c > 0 && c < bytes.Length).Distinct().Order(), bytes.Length];
        if (bytes.Length == 0)
        {
            return ReadOnlySequence<byte>.Empty;
        }

        var first = new Segment(bytes.AsMemory(0, points[0]), 0);
        Segment last = first;
        for (int i = 1; i < points.Length; i++)
        {
            last = last.Append(bytes.AsMemory(points[i - 1], points[i] - points[i - 1]));
        }

        return new ReadOnlySequence<byte>(first, 0, last, last.Memory.Length);
    }

    public static string IdText(JsonRpcCall call) => call.Id is null ? "<none>" : Encoding.UTF8.GetString(call.Id);

    private sealed class Segment : ReadOnlySequenceSegment<byte>
    {
        public Segment(ReadOnlyMemory<byte> memory, long runningIndex)
        {
            Memory = memory;
            RunningIndex = runningIndex;
        }

        public Segment Append(ReadOnlyMemory<byte> memory)
        {
            var next = new Segment(memory, RunningIndex + Memory.Length);
            Next = next;
            return next;
        }
    }
}
