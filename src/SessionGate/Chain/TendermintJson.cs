using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text.Json;
using SessionGate.Protocol;

namespace SessionGate.Chain;

/// <summary>
/// Reads the Tendermint RPC JSON SessionGate needs. Heights are decimal strings (Amino JSON writes
/// int64 as strings; numbers are accepted too), hashes 64 hex digits (uppercase in practice),
/// times RFC 3339 with up to 9 fractional digits. Never throws on malformed input.
/// </summary>
internal static class TendermintJson
{
    /// <summary>
    /// The newest block from <c>/status</c>: <c>result.sync_info.{latest_block_hash, latest_block_height,
    /// latest_block_time}</c>. INTERX's <c>/api/kira/status</c> returns the <c>result</c> object itself,
    /// so a root that has <c>sync_info</c> directly is accepted as well.
    /// </summary>
    public static bool TryReadStatus(JsonElement root, out BlockInfo? block, out string reason)
    {
        block = null;
        JsonElement result = root;
        if (root.ValueKind == JsonValueKind.Object && root.TryGetProperty("result", out JsonElement wrapped) && wrapped.ValueKind == JsonValueKind.Object)
        {
            result = wrapped;
        }

        if (!TryGetObject(result, "sync_info", out JsonElement sync))
        {
            reason = "no result.sync_info object";
            return false;
        }

        return TryReadBlock(sync, "latest_block_hash", sync, "latest_block_height", "latest_block_time", out block, out reason);
    }

    /// <summary>Longest chain id accepted (Cosmos SDK / Tendermint limit chain ids to 50 characters).</summary>
    public const int MaxChainIdLength = 50;

    /// <summary>
    /// The network (chain id) from <c>/status</c>: <c>result.node_info.network</c> (or <c>node_info</c>
    /// at the root, INTERX's shape). Only a well-formed chain id is returned: 1 to 50 ASCII letters,
    /// digits, '-', '_' or '.'; anything else is treated as absent, so node text never reaches logs
    /// or answers unchecked.
    /// </summary>
    public static string? ReadNetwork(JsonElement root)
    {
        JsonElement result = root;
        if (root.ValueKind == JsonValueKind.Object && root.TryGetProperty("result", out JsonElement wrapped) && wrapped.ValueKind == JsonValueKind.Object)
        {
            result = wrapped;
        }

        return TryGetObject(result, "node_info", out JsonElement nodeInfo) && TryGetString(nodeInfo, "network", out string? network) && IsChainId(network)
            ? network
            : null;
    }

    /// <summary>A chain id as Tendermint allows it, and as SessionGate prints it.</summary>
    public static bool IsChainId(string? text) =>
        text is { Length: > 0 and <= MaxChainIdLength } && text.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.');

    /// <summary>
    /// A block from <c>/block</c> or <c>/block_by_hash</c>: <c>result.block_id.hash</c> and
    /// <c>result.block.header.{height,time}</c>. <c>"block": null</c> and a JSON-RPC <c>error</c> are "not found".
    /// </summary>
    public static NodeAnswer ReadBlock(JsonElement root)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            return NodeAnswer.Failed("not a JSON object");
        }

        if (root.TryGetProperty("error", out JsonElement error) && error.ValueKind != JsonValueKind.Null)
        {
            return NodeAnswer.NotFound;
        }

        if (!TryGetObject(root, "result", out JsonElement result) || !result.TryGetProperty("block", out JsonElement block))
        {
            return NodeAnswer.Failed("no result.block");
        }

        if (block.ValueKind == JsonValueKind.Null)
        {
            return NodeAnswer.NotFound;
        }

        if (!TryGetObject(result, "block_id", out JsonElement blockId) || !TryGetObject(block, "header", out JsonElement header))
        {
            return NodeAnswer.Failed("no result.block_id or result.block.header object");
        }

        return TryReadBlock(blockId, "hash", header, "height", "time", out BlockInfo? info, out string reason)
            ? NodeAnswer.Found(info!)
            : NodeAnswer.Failed(reason);
    }

    /// <summary>True when the body is a JSON-RPC error object (Tendermint sends those with HTTP 500).</summary>
    public static bool IsRpcError(JsonElement root) =>
        root.ValueKind == JsonValueKind.Object && root.TryGetProperty("error", out JsonElement error) && error.ValueKind != JsonValueKind.Null;

    private static bool TryReadBlock(
        JsonElement hashOwner, string hashName, JsonElement headerOwner, string heightName, string timeName, out BlockInfo? block, out string reason)
    {
        block = null;
        if (!TryGetString(hashOwner, hashName, out string? hashText) || hashText.Length != 64 || !Bytes32.TryParseHex(hashText, out Bytes32 hash))
        {
            reason = $"{hashName} is not 64 hex digits";
            return false;
        }

        if (!headerOwner.TryGetProperty(heightName, out JsonElement heightElement) || !TryReadHeight(heightElement, out long height))
        {
            reason = $"{heightName} is not a positive integer";
            return false;
        }

        if (!TryGetString(headerOwner, timeName, out string? timeText) || !Rfc3339Timestamp.TryParse(timeText, out DateTimeOffset time))
        {
            reason = $"{timeName} is not an RFC 3339 time";
            return false;
        }

        block = new BlockInfo(height, hash, time);
        reason = string.Empty;
        return true;
    }

    private static bool TryReadHeight(JsonElement element, out long height)
    {
        height = 0;
        bool parsed = element.ValueKind switch
        {
            JsonValueKind.String => long.TryParse(element.GetString(), NumberStyles.None, CultureInfo.InvariantCulture, out height),
            JsonValueKind.Number => element.TryGetInt64(out height),
            _ => false,
        };
        return parsed && height >= 1;
    }

    private static bool TryGetObject(JsonElement owner, string name, out JsonElement value)
    {
        if (owner.ValueKind == JsonValueKind.Object && owner.TryGetProperty(name, out value) && value.ValueKind == JsonValueKind.Object)
        {
            return true;
        }

        value = default;
        return false;
    }

    private static bool TryGetString(JsonElement owner, string name, [NotNullWhen(true)] out string? value)
    {
        value = owner.ValueKind == JsonValueKind.Object && owner.TryGetProperty(name, out JsonElement element) && element.ValueKind == JsonValueKind.String
            ? element.GetString()
            : null;
        return value is not null;
    }
}
