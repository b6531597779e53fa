namespace SessionGate.Chain;

/// <summary>
/// The id of the chain the gateway follows: what wallet-signed grants must name and what
/// <c>GET {PathPrefix}/block</c> reports. The dev chain knows its own; a Tendermint feed learns it
/// from the node's <c>/status</c> <c>result.node_info.network</c>, checked against
/// <see cref="ChainOptions.ChainId"/> when that pins it.
/// </summary>
public interface IChainIdSource
{
    /// <summary>The chain id now, or why there is none.</summary>
    ChainIdStatus GetChainId();
}

/// <summary>What <see cref="IChainIdSource.GetChainId"/> knows.</summary>
/// <param name="ChainId">The chain id; null unless <paramref name="Problem"/> is <see cref="ChainIdProblem.None"/>.</param>
/// <param name="Problem">Why there is no usable chain id.</param>
public readonly record struct ChainIdStatus(string? ChainId, ChainIdProblem Problem)
{
    /// <summary>A known chain id.</summary>
    public static ChainIdStatus Known(string chainId) => new(chainId, ChainIdProblem.None);

    /// <summary>No chain id (yet, or any more), for <paramref name="problem"/>.</summary>
    public static ChainIdStatus Missing(ChainIdProblem problem) => new(null, problem);
}

/// <summary>Why a chain id is not available.</summary>
public enum ChainIdProblem
{
    /// <summary>The chain id is known.</summary>
    None = 0,

    /// <summary>The node has not answered <c>/status</c> with a network yet.</summary>
    NotYetKnown = 1,

    /// <summary>
    /// The node reports another network than <see cref="ChainOptions.ChainId"/> pins, or than it
    /// reported before: the gateway refuses that node's blocks and grants until it is fixed.
    /// </summary>
    NetworkMismatch = 2,
}
