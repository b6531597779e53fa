using SessionGate.Chain;

namespace SessionGate.AspNetCore.Grants;

/// <summary>
/// The id of the chain the gateway follows, which every grant must name and <c>/block</c> reports:
/// the registered <see cref="IChainIdSource"/> (the dev chain's id, or the Tendermint node's
/// <c>/status</c> <c>result.node_info.network</c>, checked against <c>SessionGate:Chain:ChainId</c>
/// by the feed on every poll). A custom <see cref="IBlockFeed"/> that is no <see cref="IChainIdSource"/>
/// falls back to the pinned <c>SessionGate:Chain:ChainId</c>.
/// </summary>
internal sealed class ChainIdentity
{
    private readonly IChainIdSource? _source;
    private readonly string? _pinned;

    public ChainIdentity(IChainIdSource? source, ChainOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _source = source;
        _pinned = options.ChainId;
    }

    /// <summary>The chain id now, or null when it is not known (yet) or the node is on another chain.</summary>
    public string? Known => Current.ChainId;

    /// <summary>The chain id now, or why there is none.</summary>
    public ChainIdStatus Current =>
        _source?.GetChainId() ?? (_pinned is { } pinned ? ChainIdStatus.Known(pinned) : ChainIdStatus.Missing(ChainIdProblem.NotYetKnown));

    /// <summary>A log-safe explanation of a missing chain id (never node text).</summary>
    public static string Explain(ChainIdProblem problem) => problem switch
    {
        ChainIdProblem.NetworkMismatch => "the chain node reports another network than the chain id the gateway follows",
        _ => "the chain node has not reported its network (result.node_info.network of /status) yet",
    };
}
