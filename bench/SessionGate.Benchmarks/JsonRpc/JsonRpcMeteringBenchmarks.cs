using System.Buffers;
using System.Text;
using BenchmarkDotNet.Attributes;
using SessionGate.AspNetCore.JsonRpc;
using SessionGate.JsonRpc;

namespace SessionGate.Benchmarks.JsonRpc;

/// <summary>
/// JSON-RPC metering's work per request: parse + cost lookup of a 200-byte single call and of a
/// 20-call batch (target ≤ 5 µs per call parsed), and the same with the body first read into the
/// pooled buffer the gateway forwards from (what the middleware adds before the rate limiter).
/// The method table is Alchemy-sized: exact names, prefixes and disabled patterns.
/// </summary>
[MemoryDiagnoser]
public class JsonRpcMeteringBenchmarks
{
    private JsonRpcMethodTable _table = null!;
    private ReadOnlySequence<byte> _single;
    private ReadOnlySequence<byte> _batch;
    private byte[] _singleBytes = null!;
    private byte[] _batchBytes = null!;

    [GlobalSetup]
    public void Setup()
    {
        var costs = new Dictionary<string, int>
        {
            ["eth_blockNumber"] = 10, ["eth_call"] = 26, ["eth_chainId"] = 1, ["eth_estimateGas"] = 87, ["eth_gasPrice"] = 19,
            ["eth_getBalance"] = 19, ["eth_getBlockByHash"] = 21, ["eth_getBlockByNumber"] = 16, ["eth_getCode"] = 19,
            ["eth_getLogs"] = 75, ["eth_getStorageAt"] = 17, ["eth_getTransactionByHash"] = 17, ["eth_getTransactionCount"] = 26,
            ["eth_getTransactionReceipt"] = 15, ["eth_sendRawTransaction"] = 250, ["net_version"] = 1, ["web3_clientVersion"] = 1,
            ["eth_get*"] = 20, ["trace_*"] = 300, ["debug_trace*"] = 309, ["status"] = 3, ["block"] = 5, ["abci_query"] = 20,
        };
        _table = new JsonRpcMethodTable(1, costs, ["admin_*", "personal_*", "miner_*"], null);

        // 200 bytes: an eth_call as ethers.js sends it.
        string single = """{"jsonrpc":"2.0","id":42,"method":"eth_call","params":[{"to":"0x6b175474e89094c44da98b954eedeac495271d0f","data":"0x70a08231000000000000000000000000aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"},"latest"]}""";
        string[] methods = ["eth_blockNumber", "eth_getBalance", "eth_call", "eth_getLogs", "status"];
        string batch = "[" + string.Join(",", Enumerable.Range(0, 20).Select(i =>
            $$"""{"jsonrpc":"2.0","id":{{i}},"method":"{{methods[i % methods.Length]}}","params":["0x6b175474e89094c44da98b954eedeac495271d0f","latest"]}""")) + "]";
        _singleBytes = Encoding.UTF8.GetBytes(single);
        _batchBytes = Encoding.UTF8.GetBytes(batch);
        _single = new ReadOnlySequence<byte>(_singleBytes);
        _batch = new ReadOnlySequence<byte>(_batchBytes);
        if (JsonRpcParser.Parse(_single, _table, 1000).Status != JsonRpcBodyStatus.Ok || JsonRpcParser.Parse(_batch, _table, 1000).Calls.Count != 20)
        {
            throw new InvalidOperationException("The benchmark bodies must parse.");
        }

        if (_singleBytes.Length != 200)
        {
            throw new InvalidOperationException($"The single call is {_singleBytes.Length} bytes, not 200.");
        }
    }

    [Benchmark(Baseline = true, Description = "parse + cost: single call (~200 B)")]
    public int ParseSingle() => JsonRpcParser.Parse(_single, _table, 1000).TotalCost;

    [Benchmark(Description = "parse + cost: batch of 20 calls")]
    public int ParseBatch() => JsonRpcParser.Parse(_batch, _table, 1000).TotalCost;

    [Benchmark(Description = "buffer + parse + cost: single call")]
    public async Task<int> BufferAndParseSingle() => await BufferAndParseAsync(_singleBytes).ConfigureAwait(false);

    [Benchmark(Description = "buffer + parse + cost: batch of 20 calls")]
    public async Task<int> BufferAndParseBatch() => await BufferAndParseAsync(_batchBytes).ConfigureAwait(false);

    private async Task<int> BufferAndParseAsync(byte[] bytes)
    {
        using var source = new MemoryStream(bytes, writable: false);
        using JsonRpcBodyBuffer? buffer = await JsonRpcBodyBuffer.ReadAsync(source, bytes.Length, 1 << 20, CancellationToken.None).ConfigureAwait(false);
        return JsonRpcParser.Parse(buffer!.Body, _table, 1000).TotalCost;
    }
}
