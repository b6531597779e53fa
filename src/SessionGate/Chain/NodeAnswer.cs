namespace SessionGate.Chain;

/// <summary>What the chain node said about one block.</summary>
internal enum NodeAnswerKind
{
    /// <summary>The node returned the block.</summary>
    Found = 0,

    /// <summary>The node answered but has no such block (<c>"block": null</c> or a JSON-RPC error).</summary>
    NotFound = 1,

    /// <summary>The node could not be asked: transport error, timeout, 5xx, or a malformed answer.</summary>
    Failed = 2,
}

/// <summary>
/// One answer of the chain node, with the reason when it failed (for logs only) and, from
/// <c>/status</c>, the network (chain id) the node reports, when it reports a well-formed one.
/// </summary>
internal readonly record struct NodeAnswer(NodeAnswerKind Kind, BlockInfo? Block, string? Reason, string? Network = null)
{
    public static NodeAnswer Found(BlockInfo block, string? network = null) => new(NodeAnswerKind.Found, block, null, network);

    public static NodeAnswer NotFound { get; } = new(NodeAnswerKind.NotFound, null, null);

    public static NodeAnswer Failed(string reason) => new(NodeAnswerKind.Failed, null, reason);
}
