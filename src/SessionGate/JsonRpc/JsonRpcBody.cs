namespace SessionGate.JsonRpc;

/// <summary>What the gateway read of a JSON-RPC request body: its calls, their costs and whether it may be forwarded.</summary>
internal sealed class JsonRpcBody
{
    private static readonly JsonRpcCall[] NoCalls = [];

    private JsonRpcBody(JsonRpcBodyStatus status, bool isBatch, IReadOnlyList<JsonRpcCall> calls, int totalCost)
    {
        Status = status;
        IsBatch = isBatch;
        Calls = calls;
        TotalCost = totalCost;
    }

    /// <summary>Whether the body may be forwarded, and if not, why.</summary>
    public JsonRpcBodyStatus Status { get; }

    /// <summary>True for a batch (a JSON array): answers are arrays too.</summary>
    public bool IsBatch { get; }

    /// <summary>The calls in body order (empty when the body did not parse).</summary>
    public IReadOnlyList<JsonRpcCall> Calls { get; }

    /// <summary>The sum of the calls' costs: what the body is charged, in one decision.</summary>
    public int TotalCost { get; }

    /// <summary>A body that may be forwarded.</summary>
    public static JsonRpcBody Accepted(bool isBatch, IReadOnlyList<JsonRpcCall> calls, int totalCost) =>
        new(JsonRpcBodyStatus.Ok, isBatch, calls, totalCost);

    /// <summary>A body refused as a whole (parse error, not a call or batch, empty or oversized batch).</summary>
    public static JsonRpcBody Refused(JsonRpcBodyStatus status) => new(status, false, NoCalls, 0);

    /// <summary>A body with invalid or disallowed calls: refused, each call answered by its own error.</summary>
    public static JsonRpcBody RefusedCalls(bool isBatch, IReadOnlyList<JsonRpcCall> calls) =>
        new(JsonRpcBodyStatus.CallsRefused, isBatch, calls, 0);
}

/// <summary>Whether a JSON-RPC body may be forwarded.</summary>
internal enum JsonRpcBodyStatus
{
    /// <summary>Every call is valid and allowed: charge <see cref="JsonRpcBody.TotalCost"/> and forward.</summary>
    Ok = 0,

    /// <summary>Not JSON (or trailing data after the value): -32700.</summary>
    ParseError,

    /// <summary>JSON, but neither a call object nor a non-empty array of them: -32600.</summary>
    InvalidRequest,

    /// <summary>A batch of more calls than <see cref="JsonRpcOptions.MaxBatchSize"/>: -32600.</summary>
    BatchTooLarge,

    /// <summary>Some call is invalid (-32600) or not allowed on the route (-32601): nothing is forwarded.</summary>
    CallsRefused,
}

/// <summary>One call of a body.</summary>
/// <param name="Status">Valid and allowed, invalid, or not allowed on the route.</param>
/// <param name="Cost">Its method's cost (0 unless valid).</param>
/// <param name="Id">The call's <c>id</c> as sent (raw JSON: a string with its quotes, a number or <c>null</c>), or null for a notification.</param>
internal readonly record struct JsonRpcCall(JsonRpcCallStatus Status, int Cost, byte[]? Id)
{
    /// <summary>
    /// The name the quota history counts a valid, allowed call under: the cost entry that priced it
    /// (<see cref="JsonRpcMethodTable.Lookup(ReadOnlySpan{char}, out string)"/>), never the method as
    /// sent; null for other calls (they are refused before the limiter and not counted).
    /// </summary>
    public string? HistoryName { get; init; }

    /// <summary>True for a notification (no <c>id</c> member): JSON-RPC never answers those.</summary>
    public bool IsNotification => Id is null;
}

/// <summary>What the gateway decided about one call.</summary>
internal enum JsonRpcCallStatus
{
    /// <summary>Valid and allowed.</summary>
    Ok = 0,

    /// <summary>Not an object with one string <c>method</c> and an optional string, number or null <c>id</c>.</summary>
    Invalid,

    /// <summary>Its method is disabled on the route, or not on its allowed list.</summary>
    NotAllowed,
}
