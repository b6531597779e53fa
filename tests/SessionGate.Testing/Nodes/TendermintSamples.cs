using System.Globalization;
using System.Security.Cryptography;
using SessionGate.Chain;
using SessionGate.Protocol;

namespace SessionGate.Testing.Nodes;

/// <summary>Tendermint RPC JSON as a node sends it (heights as strings, 9-digit fractions, uppercase hashes).</summary>
public static class TendermintSamples
{
    public static readonly string NullBlock =
        """{"jsonrpc":"2.0","id":-1,"result":{"block_id":{"hash":"","parts":{"total":0,"hash":""}},"block":null}}""";

    /// <summary>A block whose hash is SHA-256 of <paramref name="seed"/> ‖ height.</summary>
    public static BlockInfo MakeBlock(long height, DateTimeOffset time, string seed = "block") =>
        new(height, new Bytes32(SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(seed + height.ToString(CultureInfo.InvariantCulture)))), time);

    /// <summary>RFC 3339 with nanoseconds, as Go prints it (the last two digits are extra precision .NET cannot hold).</summary>
    public static string NanoTime(DateTimeOffset time) =>
        time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff", CultureInfo.InvariantCulture) + "89Z";

    /// <summary>The network the fake node reports unless told otherwise.</summary>
    public const string DefaultNetwork = "testnet-1";

    public static string Status(BlockInfo head, string network = DefaultNetwork) => """{"jsonrpc":"2.0","id":-1,"result":""" + InterxStatus(head, network) + "}";

    public static string InterxStatus(BlockInfo head, string network = DefaultNetwork) => Fill(
        """
        {"node_info":{"network":"@NETWORK","version":"0.34.24"},
         "sync_info":{"latest_block_hash":"@HASH","latest_app_hash":"00","latest_block_height":"@HEIGHT",
                      "latest_block_time":"@TIME","earliest_block_height":"1","catching_up":false},
         "validator_info":{"voting_power":"0"}}
        """,
        head).Replace("@NETWORK", System.Text.Json.JsonEncodedText.Encode(network).ToString(), StringComparison.Ordinal);

    public static string Block(BlockInfo block) => Fill(
        """
        {"jsonrpc":"2.0","id":-1,"result":{
          "block_id":{"hash":"@HASH","parts":{"total":1,"hash":"AB"}},
          "block":{"header":{"version":{"block":"11"},"chain_id":"testnet-1","height":"@HEIGHT","time":"@TIME"},
                   "data":{"txs":[]},"last_commit":null}}}
        """,
        block);

    public static string RpcError(string data) =>
        """{"jsonrpc":"2.0","id":-1,"error":{"code":-32603,"message":"Internal error","data":"@DATA"}}""".Replace("@DATA", data, StringComparison.Ordinal);

    private static string Fill(string template, BlockInfo block) => template
        .Replace("@HASH", block.Hash.ToUpperHex(), StringComparison.Ordinal)
        .Replace("@HEIGHT", block.Height.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal)
        .Replace("@TIME", NanoTime(block.Time), StringComparison.Ordinal);
}
