using SessionGate.Storage.Redis;
using StackExchange.Redis;

namespace SessionGate.RateLimiting.Redis;

/// <summary>
/// Group commit of limiter decisions: while one call to Redis is in flight, decisions that arrive
/// wait and then go together in the next call (one EVALSHA of <see cref="QuotaScript"/> deciding each
/// in turn, atomically). An idle gateway sends each decision at once, alone; a busy one sends one
/// command per batch instead of one per request, so the Redis client's and server's per-command cost
/// (most of what the limiter costs, see docs/BENCHMARKS.md) is shared. Decisions are exactly those of
/// single calls: the script runs them one after the other.
/// </summary>
/// <remarks>
/// A Redis Cluster refuses one script over keys of several slots (CROSSSLOT), and partitions hash to
/// different slots: with a cluster, every decision is sent alone (the first CROSSSLOT answer switches
/// batching off for good and the batch is retried one by one). Every caller still waits at most the
/// operation timeout, counted from when it asked, whatever the batch it joined.
/// </remarks>
internal sealed class QuotaBatcher
{
    /// <summary>Most decisions in one call (bounds the script's run time and the reply's size).</summary>
    public const int MaxBatch = 64;

    private readonly RedisConnection _connection;
    private readonly Func<IDatabase, RedisKey[], RedisValue[], Task<RedisResult>> _evaluate;
    private readonly Lock _lock = new();
    private readonly Queue<Pending> _queue = new();
    private bool _sending;
    private volatile bool _singleOnly;

    public QuotaBatcher(RedisConnection connection, Func<IDatabase, RedisKey[], RedisValue[], Task<RedisResult>> evaluate)
    {
        _connection = connection;
        _evaluate = evaluate;
    }

    /// <summary>Decides one decision (two keys, five arguments), alone or in a batch; seven integers back.</summary>
    public async Task<RedisResult[]> DecideAsync(RedisKey[] keys, RedisValue[] arguments, CancellationToken cancellationToken)
    {
        if (_singleOnly || _connection.IsCluster)
        {
            return await SendAloneAsync(keys, arguments, cancellationToken).ConfigureAwait(false);
        }

        var pending = new Pending(keys, arguments, Environment.TickCount64 + (long)_connection.Options.OperationTimeout.TotalMilliseconds);
        bool lead;
        lock (_lock)
        {
            _queue.Enqueue(pending);
            lead = !_sending;
            _sending = true;
        }

        if (lead)
        {
            _ = SendQueuedAsync();
        }

        try
        {
            return await pending.Result.Task.WaitAsync(_connection.Options.OperationTimeout, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException e)
        {
            throw new RedisUnavailableException("Redis did not answer within " + _connection.Options.OperationTimeout.TotalMilliseconds + " ms.", e);
        }
    }

    private Task<RedisResult[]> SendAloneAsync(RedisKey[] keys, RedisValue[] arguments, CancellationToken cancellationToken) =>
        SendAsync([new Pending(keys, arguments, long.MaxValue)], cancellationToken);

    // Runs until the queue is empty; only one runs at a time (the caller that found no call in flight).
    private async Task SendQueuedAsync()
    {
        while (true)
        {
            Pending[] batch;
            lock (_lock)
            {
                if (_queue.Count == 0)
                {
                    _sending = false;
                    return;
                }

                // A decision whose caller has given up (its timeout ran out while it queued) is not
                // sent: it would take from the quota for a request that was already answered.
                long now = Environment.TickCount64;
                var taken = new List<Pending>(Math.Min(_queue.Count, MaxBatch));
                while (taken.Count < MaxBatch && _queue.TryDequeue(out Pending? next))
                {
                    if (next.Deadline <= now)
                    {
                        next.Result.TrySetException(new TimeoutException("The decision's caller stopped waiting before it was sent."));
                    }
                    else
                    {
                        taken.Add(next);
                    }
                }

                if (taken.Count == 0)
                {
                    continue;
                }

                batch = [.. taken];
            }

            try
            {
                RedisResult[] results = await SendAsync(batch, CancellationToken.None).ConfigureAwait(false);
                for (int i = 0; i < batch.Length; i++)
                {
                    batch[i].Result.TrySetResult(results[(i * 7)..((i * 7) + 7)]);
                }
            }
            catch (RedisServerException e) when (e.Message.StartsWith("CROSSSLOT", StringComparison.Ordinal))
            {
                // A cluster we did not recognise as one: never batch again; send these one by one.
                _singleOnly = true;
                foreach (Pending pending in batch)
                {
                    _ = CompleteAloneAsync(pending);
                }
            }
            catch (Exception e)
            {
                foreach (Pending pending in batch)
                {
                    pending.Result.TrySetException(e);
                }
            }
        }
    }

    private async Task CompleteAloneAsync(Pending pending)
    {
        try
        {
            pending.Result.TrySetResult(await SendAsync([pending], CancellationToken.None).ConfigureAwait(false));
        }
        catch (Exception e)
        {
            pending.Result.TrySetException(e);
        }
    }

    private async Task<RedisResult[]> SendAsync(Pending[] batch, CancellationToken cancellationToken)
    {
        var keys = new RedisKey[batch.Length * 2];
        var arguments = new RedisValue[1 + (batch.Length * 5)];
        arguments[0] = RedisValue.EmptyString;   // no test clock: the script reads TIME once
        for (int i = 0; i < batch.Length; i++)
        {
            Array.Copy(batch[i].Keys, 0, keys, i * 2, 2);
            Array.Copy(batch[i].Arguments, 0, arguments, 1 + (i * 5), 5);
        }

        RedisResult result = await _connection.RunAsync(db => _evaluate(db, keys, arguments), cancellationToken).ConfigureAwait(false);
        var values = (RedisResult[]?)result;
        if (values is null || values.Length != batch.Length * 7)
        {
            throw new RedisUnavailableException("Redis returned an unexpected rate-limit result.", new FormatException($"Expected {batch.Length * 7} integers."));
        }

        return values;
    }

    private sealed class Pending(RedisKey[] keys, RedisValue[] arguments, long deadline)
    {
        /// <summary>When the caller stops waiting (<see cref="Environment.TickCount64"/> ms).</summary>
        public long Deadline { get; } = deadline;

        public RedisKey[] Keys { get; } = keys;

        public RedisValue[] Arguments { get; } = arguments;

        public TaskCompletionSource<RedisResult[]> Result { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
