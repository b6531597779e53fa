using SessionGate.Protocol;

namespace SessionGate.Chain;

internal sealed partial class TendermintBlockFeed
{
    // Single-flight: at most one lookup per hash, and at most MaxConcurrentLookups hashes, in flight.
    private readonly Dictionary<Bytes32, Task<BlockLookup>> _inFlight = [];
    private readonly Lock _inFlightLock = new();

    /// <inheritdoc />
    public ValueTask<BlockLookup> FindAsync(Bytes32 hash, CancellationToken cancellationToken = default) =>
        TryAnswerLocally(hash, out BlockLookup answer)
            ? new ValueTask<BlockLookup>(answer)
            : new ValueTask<BlockLookup>(GetOrStartLookup(hash).WaitAsync(cancellationToken));

    /// <summary>Lookups in flight now (for tests and diagnostics).</summary>
    internal int InFlightCount
    {
        get
        {
            lock (_inFlightLock)
            {
                return _inFlight.Count;
            }
        }
    }

    private bool TryAnswerLocally(Bytes32 hash, out BlockLookup answer)
    {
        if (_store.TryGetLocal(hash, out BlockInfo? block))
        {
            answer = BlockLookup.Found(block);
            return true;
        }

        return _recentAnswers.TryGet(hash, out answer);
    }

    private Task<BlockLookup> GetOrStartLookup(Bytes32 hash)
    {
        TaskCompletionSource<BlockLookup> lookup;
        lock (_inFlightLock)
        {
            if (_inFlight.TryGetValue(hash, out Task<BlockLookup>? running))
            {
                return running;
            }

            // A lookup may have finished (and cached its answer) since the caller checked.
            if (TryAnswerLocally(hash, out BlockLookup answer))
            {
                return Task.FromResult(answer);
            }

            if (_inFlight.Count >= _options.Tendermint.MaxConcurrentLookups)
            {
                Log.LookupLimitReached(_logger, _options.Tendermint.MaxConcurrentLookups, hash.ToUpperHex());
                return Task.FromResult(BlockLookup.Unavailable);
            }

            lookup = new TaskCompletionSource<BlockLookup>(TaskCreationOptions.RunContinuationsAsynchronously);
            _inFlight.Add(hash, lookup.Task);
        }

        _ = CompleteLookupAsync(hash, lookup);
        return lookup.Task;
    }

    private async Task CompleteLookupAsync(Bytes32 hash, TaskCompletionSource<BlockLookup> lookup)
    {
        BlockLookup result;
        try
        {
            // No caller's token: callers share this lookup, and one giving up must not cancel it for
            // the others. It is bounded by the request timeout and the Redis operation timeout.
            result = await LookUpAsync(hash).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            Log.LookupFailed(_logger, hash.ToUpperHex(), e.GetType().Name + ": " + e.Message);
            result = Remember(hash, BlockLookup.Unavailable, _unavailableTtl);
        }

        // The answer is cached (or stored) before the hash leaves the in-flight map, so a caller
        // arriving now finds one or the other and never sends a second request.
        lock (_inFlightLock)
        {
            _inFlight.Remove(hash);
        }

        lookup.SetResult(result);
    }

    private async Task<BlockLookup> LookUpAsync(Bytes32 hash)
    {
        BlockLookup shared = await _store.FindAsync(hash, CancellationToken.None).ConfigureAwait(false);
        if (shared.Status == BlockLookupStatus.Found)
        {
            return shared;
        }

        if (IsBackingOffFromNode || IsNetworkMismatch)
        {
            return Remember(hash, BlockLookup.Unavailable, _unavailableTtl);
        }

        NodeAnswer answer = await _rpc.GetBlockByHashAsync(hash, CancellationToken.None).ConfigureAwait(false);
        if (answer.Kind == NodeAnswerKind.Found && answer.Block!.Hash != hash)
        {
            Log.ResponseMalformed(_logger, "block_by_hash", "block_id.hash differs from the requested hash");
            answer = NodeAnswer.Failed("block_id.hash differs from the requested hash");
        }

        switch (answer.Kind)
        {
            case NodeAnswerKind.Found:
                BlockInfo block = answer.Block!;
                await _store.AddAsync(block, CancellationToken.None).ConfigureAwait(false);
                BlockLookup found = BlockLookup.Found(block);
                // Too old to keep: remember the answer anyway so the hash cannot be used to hit the node.
                return _store.TryGetLocal(hash, out _) ? found : Remember(hash, found, _options.Tendermint.NegativeCacheTtl);
            case NodeAnswerKind.NotFound:
                Log.BlockUnknown(_logger, hash.ToUpperHex());
                return Remember(hash, BlockLookup.Unknown, _options.Tendermint.NegativeCacheTtl);
            default:
                BackOffFromNode();
                Log.LookupFailed(_logger, hash.ToUpperHex(), answer.Reason ?? "no answer");
                return Remember(hash, BlockLookup.Unavailable, _unavailableTtl);
        }
    }

    private BlockLookup Remember(Bytes32 hash, BlockLookup answer, TimeSpan timeToLive)
    {
        _recentAnswers.Set(hash, answer, timeToLive);
        return answer;
    }
}
