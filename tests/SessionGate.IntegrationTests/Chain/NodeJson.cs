using System.Globalization;
using SessionGate.Chain;

namespace SessionGate.IntegrationTests.Chain;

/// <summary>Tendermint RPC JSON as a node writes it: heights as strings, 9-digit fractions, uppercase hashes.</summary>
internal static class NodeJson
{
    public const string NullBlock =
        """{"jsonrpc":"2.0","id":-1,"result":{"block_id":{"hash":"","parts":{"total":0,"hash":""}},"block":null}}""";

    public static string Status(BlockInfo head) => Fill(
        """
        {"jsonrpc":"2.0","id":-1,"result":{"node_info":{"network":"testnet-1"},
         "sync_info":{"latest_block_hash":"@HASH","latest_block_height":"@HEIGHT","latest_block_time":"@TIME","catching_up":false}}}
        """,
        head);

    public static string Block(BlockInfo block) => Fill(
        """
        {"jsonrpc":"2.0","id":-1,"result":{"block_id":{"hash":"@HASH","parts":{"total":1,"hash":"00"}},
         "block":{"header":{"chain_id":"testnet-1","height":"@HEIGHT","time":"@TIME"},"data":{"txs":[]}}}}
        """,
        block);

    public static string RpcError(string data) =>
        """{"jsonrpc":"2.0","id":-1,"error":{"code":-32603,"message":"Internal error","data":"@DATA"}}""".Replace("@DATA", data, StringComparison.Ordinal);

    private static string Fill(string template, BlockInfo block) => template
        .Replace("@HASH", block.Hash.ToUpperHex(), StringComparison.Ordinal)
        .Replace("@HEIGHT", block.Height.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal)
        .Replace("@TIME", block.Time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff", CultureInfo.InvariantCulture) + "42Z", StringComparison.Ordinal);
}
