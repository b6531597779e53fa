namespace SessionGate.Chain;

// The chain id of a Tendermint node: result.node_info.network of /status, read on every poll.
// Pinned (ChainOptions.ChainId), the node must report the pin; unpinned, the first network it reports
// is the chain id for the life of the process. A node reporting another network (pointed at the wrong
// chain, or switched behind a load balancer) is not followed: its blocks are not stored, lookups do
// not ask it, grants get no chain id, and health says so, until it reports the expected network again.
internal sealed partial class TendermintBlockFeed : IChainIdSource
{
    private string? _chainId;
    private int _networkMismatch;

    /// <summary>True while the node reports another network than expected.</summary>
    private bool IsNetworkMismatch => Volatile.Read(ref _networkMismatch) == 1;

    /// <inheritdoc />
    public ChainIdStatus GetChainId() =>
        IsNetworkMismatch ? ChainIdStatus.Missing(ChainIdProblem.NetworkMismatch)
        : Volatile.Read(ref _chainId) is { } chainId ? ChainIdStatus.Known(chainId)
        : ChainIdStatus.Missing(ChainIdProblem.NotYetKnown);

    /// <summary>
    /// One <c>/status</c> request at start-up: throws <see cref="InvalidOperationException"/> with a
    /// message naming both ids when the node answers with another network than
    /// <see cref="ChainOptions.ChainId"/> pins. A node that does not answer is not an error here (the
    /// feed keeps polling and health reports it). Returns the network the node reported, if any.
    /// </summary>
    internal async Task<string?> CheckPinnedChainIdAsync(CancellationToken cancellationToken)
    {
        NodeAnswer status = await _rpc.GetStatusAsync(cancellationToken).ConfigureAwait(false);
        if (status.Kind == NodeAnswerKind.Found && _options.ChainId is { } pinned && status.Network is { } network
            && !string.Equals(network, pinned, StringComparison.Ordinal))
        {
            // Both ids passed TendermintJson.IsChainId / options validation: safe to print.
            throw new InvalidOperationException(
                $"SessionGate:Chain:ChainId is \"{pinned}\" but the Tendermint node at SessionGate:Chain:RpcUrl reports network \"{network}\" " +
                "(result.node_info.network of /status). Point RpcUrl at a node of that chain, or change or remove the pin.");
        }

        return status.Kind == NodeAnswerKind.Found ? status.Network : null;
    }

    /// <summary>Checks the network of a successful poll; false when the node is on another chain.</summary>
    private bool AcceptNetwork(string? reported)
    {
        string? expected = _options.ChainId ?? Volatile.Read(ref _chainId);
        if (reported is null)
        {
            // A node (or proxy) that does not say: nothing to contradict the pin; unpinned, still unknown.
            if (_options.ChainId is { } pinned)
            {
                Volatile.Write(ref _chainId, pinned);
            }

            return !IsNetworkMismatch;
        }

        if (expected is null || string.Equals(reported, expected, StringComparison.Ordinal))
        {
            Volatile.Write(ref _chainId, reported);
            return MarkNetworkMatches(reported);
        }

        if (Interlocked.Exchange(ref _networkMismatch, 1) == 0)
        {
            Log.ChainIdMismatch(_logger, expected, reported, _options.ChainId is null ? "the network it reported before" : "SessionGate:Chain:ChainId");
        }

        return false;
    }

    private bool MarkNetworkMatches(string chainId)
    {
        if (Interlocked.Exchange(ref _networkMismatch, 0) == 1)
        {
            Log.ChainIdMatchesAgain(_logger, chainId);
        }

        return true;
    }
}
