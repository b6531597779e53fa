using System.Globalization;
using SessionGate.JsonRpc;

namespace SessionGate.AspNetCore.JsonRpc;

/// <summary>
/// Marks an endpoint as JSON-RPC: request bodies are read (bounded), every call is charged its
/// method's cost (<c>SessionGate:JsonRpc:Methods</c>, a batch the sum of its calls, in one decision)
/// and calls of disallowed methods are refused. Optionally the route's own method costs and
/// allow/deny lists on top of the <c>SessionGate:JsonRpc</c> ones. YARP routes get it from their
/// <c>Metadata</c> (<see cref="TryParse"/>); in-process endpoints from <c>.WithJsonRpcMetering()</c>.
/// </summary>
public sealed record JsonRpcRouteMetadata
{
    /// <summary>YARP route metadata key: "true" meters the route as JSON-RPC.</summary>
    public const string JsonRpcKey = "SessionGate.JsonRpc";

    /// <summary>YARP route metadata key: the route's own method costs, <c>"eth_call=26,eth_get*=20"</c>.</summary>
    public const string MethodsKey = "SessionGate.JsonRpc.Methods";

    /// <summary>YARP route metadata key: methods refused on the route, <c>"eth_sendRawTransaction,debug_*"</c>.</summary>
    public const string DisabledKey = "SessionGate.JsonRpc.Disabled";

    /// <summary>YARP route metadata key: the only methods the route lets through, <c>"eth_*,net_version"</c>.</summary>
    public const string AllowedKey = "SessionGate.JsonRpc.Allowed";

    /// <summary>Method pattern → cost on this route, replacing the <c>SessionGate:JsonRpc:Methods</c> entry of the same pattern.</summary>
    public IReadOnlyDictionary<string, int> Methods { get; init; } = new Dictionary<string, int>(StringComparer.Ordinal);

    /// <summary>Method patterns refused on this route, besides <c>SessionGate:JsonRpc:Disabled</c>.</summary>
    public IReadOnlyList<string> Disabled { get; init; } = [];

    /// <summary>When set, the only method patterns this route lets through (replaces <c>SessionGate:JsonRpc:Allowed</c>).</summary>
    public IReadOnlyList<string>? Allowed { get; init; }

    /// <summary>Every problem of these settings, each naming <paramref name="at"/>.</summary>
    public IEnumerable<string> Validate(string at) =>
        JsonRpcOptions.ValidateCosts(Methods, $"{at}{MethodsKey}")
            .Concat(JsonRpcOptions.ValidatePatterns(Disabled, $"{at}{DisabledKey}"))
            .Concat(JsonRpcOptions.ValidatePatterns(Allowed, $"{at}{AllowedKey}"));

    /// <summary>
    /// Reads the <c>SessionGate.JsonRpc*</c> keys of a route's metadata: null settings when the route is
    /// not JSON-RPC. Returns false with one message per bad value (naming the key), reported at start-up.
    /// </summary>
    public static bool TryParse(IReadOnlyDictionary<string, string>? metadata, out JsonRpcRouteMetadata? settings, out IReadOnlyList<string> errors)
    {
        var problems = new List<string>();
        settings = null;
        errors = problems;
        if (metadata is null)
        {
            return true;
        }

        bool jsonRpc = false;
        if (metadata.TryGetValue(JsonRpcKey, out string? flag) && !bool.TryParse(flag, out jsonRpc))
        {
            problems.Add($"{JsonRpcKey} must be \"true\" or \"false\", not \"{flag}\".");
        }

        Dictionary<string, int> methods = ParseCosts(metadata, problems);
        string[] disabled = List(metadata, DisabledKey) ?? [];
        string[]? allowed = List(metadata, AllowedKey);
        if (!jsonRpc && (metadata.ContainsKey(MethodsKey) || metadata.ContainsKey(DisabledKey) || metadata.ContainsKey(AllowedKey)))
        {
            problems.Add($"{MethodsKey}, {DisabledKey} and {AllowedKey} apply only to a route with {JsonRpcKey} = \"true\".");
        }

        var parsed = new JsonRpcRouteMetadata { Methods = methods, Disabled = disabled, Allowed = allowed };
        problems.AddRange(parsed.Validate(""));
        if (jsonRpc && problems.Count == 0)
        {
            settings = parsed;
        }

        return problems.Count == 0;
    }

    private static Dictionary<string, int> ParseCosts(IReadOnlyDictionary<string, string> metadata, List<string> problems)
    {
        var costs = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (string entry in List(metadata, MethodsKey) ?? [])
        {
            int separator = entry.LastIndexOf('=');
            if (separator <= 0 || !int.TryParse(entry.AsSpan(separator + 1).Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out int cost)
                || !costs.TryAdd(entry[..separator].Trim(), cost))
            {
                problems.Add($"{MethodsKey} must be a comma-separated list of distinct method=cost entries (e.g. \"eth_call=26,eth_get*=20\"); \"{entry}\" is not one.");
            }
        }

        return costs;
    }

    private static string[]? List(IReadOnlyDictionary<string, string> metadata, string key) =>
        metadata.TryGetValue(key, out string? text)
            ? text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
            : null;
}
