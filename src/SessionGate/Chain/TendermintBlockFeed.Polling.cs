namespace SessionGate.Chain;

internal sealed partial class TendermintBlockFeed
{
    // Poll failures are logged at the first one and then every 12th, not every PollInterval.
    private const int FailureLogEvery = 12;

    // Only the polling loop touches this.
    private long _lastPolledHeight;

    /// <inheritdoc />
    public async Task RunAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(_options.PollInterval, _timeProvider);
        try
        {
            do
            {
                await PollSafelyAsync(stoppingToken).ConfigureAwait(false);
            }
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping.
        }
    }

    /// <summary>
    /// One poll: the node's newest block, then the skipped heights since the previous poll. When the
    /// node cannot be reached, adopts the newest block other instances wrote to the shared store.
    /// Returns whether the node answered. Throws only when <paramref name="cancellationToken"/> is cancelled.
    /// </summary>
    internal async Task<bool> PollOnceAsync(CancellationToken cancellationToken)
    {
        NodeAnswer status = await _rpc.GetStatusAsync(cancellationToken).ConfigureAwait(false);
        if (status.Kind != NodeAnswerKind.Found)
        {
            BackOffFromNode();
            int failures = Interlocked.Increment(ref _consecutiveFailures);
            if (failures == 1 || failures % FailureLogEvery == 0)
            {
                Log.PollFailed(_logger, status.Reason ?? "no answer", failures);
            }

            await _store.RefreshLatestAsync(cancellationToken).ConfigureAwait(false);
            return false;
        }

        if (!AcceptNetwork(status.Network))
        {
            // Another chain's node: none of its blocks may be stored. A failure like any other, so
            // health turns not ready; other instances' blocks still come through the shared store.
            BackOffFromNode();
            Interlocked.Increment(ref _consecutiveFailures);
            await _store.RefreshLatestAsync(cancellationToken).ConfigureAwait(false);
            return false;
        }

        BlockInfo head = status.Block!;
        long previous = _lastPolledHeight;
        await _store.AddAsync(head, cancellationToken).ConfigureAwait(false);
        if (previous > 0 && head.Height < previous)
        {
            Log.HeadMovedBackwards(_logger, head.Height, previous);
        }
        else if (previous > 0 && head.Height > previous + 1)
        {
            await BackfillAsync(previous, head, cancellationToken).ConfigureAwait(false);
        }

        _lastPolledHeight = head.Height;
        Volatile.Write(ref _nodeBackoffUntil, 0);
        int failed = Interlocked.Exchange(ref _consecutiveFailures, 0);
        if (failed > 0)
        {
            Log.PollRecovered(_logger, failed, head.Height);
        }

        Volatile.Write(ref _lastPollUtcTicks, _timeProvider.GetUtcNow().UtcTicks);
        return true;
    }

    /// <summary>
    /// Fetches the heights between the previous poll and <paramref name="head"/>, newest first, at
    /// most <see cref="TendermintOptions.MaxBackfillPerPoll"/>, stopping at the first block already
    /// past the retention (every lower one is older) and at the first failure (those blocks can
    /// still be found on demand by hash).
    /// </summary>
    private async Task BackfillAsync(long previous, BlockInfo head, CancellationToken cancellationToken)
    {
        DateTimeOffset cutoff = BlockRetention.Cutoff(_options.Retention, _timeProvider.GetUtcNow());
        if (head.Time < cutoff)
        {
            // A node catching up from far behind: the skipped blocks are older than the head, so too old.
            return;
        }

        long lowest = Math.Max(previous + 1, head.Height - _options.Tendermint.MaxBackfillPerPoll);
        for (long height = head.Height - 1; height >= lowest; height--)
        {
            NodeAnswer answer = await _rpc.GetBlockAsync(height, cancellationToken).ConfigureAwait(false);
            if (answer.Kind != NodeAnswerKind.Found || answer.Block!.Height != height)
            {
                Log.BackfillStopped(_logger, height, answer.Reason ?? "the node returned another height or no block");
                return;
            }

            if (answer.Block.Time < cutoff)
            {
                Log.BackfillStopped(_logger, height, "older blocks are past the retention");
                return;
            }

            await _store.AddAsync(answer.Block, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task PollSafelyAsync(CancellationToken stoppingToken)
    {
        try
        {
            await PollOnceAsync(stoppingToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
        {
            Interlocked.Increment(ref _consecutiveFailures);
            Log.WorkerFaulted(_logger, e, Name);
        }
    }
}
