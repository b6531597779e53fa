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
/// different slots: with a cluster, a batch is split by hash slot (the slot of the keys' hash tag,
/// as StackExchange.Redis computes it: CRC16) and each part is one call to its node. A cluster not
/// recognised as one answers CROSSSLOT: batching is then switched off for good and the batch is
/// retried one by one. Every caller still waits at most the
/// operation timeout, counted from when it asked, whatever the batch it joined: one timer for all
/// waiting callers enforces it (a decision that timed out while queued is not sent).
/// </remarks>
internal sealed class QuotaBatcher
{
    /// <summary>Most decisions in one call (bounds the script's run time and the reply's size).</summary>
    public const int MaxBatch = 64;

    private readonly RedisConnection _connection;
    private readonly Func<IDatabase, RedisKey[], RedisValue[], Task<RedisResult>> _evaluate;
    private readonly Lock _lock = new();
    private readonly Queue<Pending> _queue = new();

    // Every decision not yet answered (queued or in a call in flight), oldest first. All wait the same
    // operation timeout, so this is also deadline order: one timer, armed for the oldest deadline,
    // answers every caller whose time ran out. A timeout per decision (Task.WaitAsync) costs a timer
    // per request and contends on the runtime's timer-queue lock (docs/BENCHMARKS.md, issue 12).
    private readonly Queue<Pending> _unanswered = new();
    private readonly ITimer _deadlineTimer;
    private long _timerDue = long.MaxValue;
    private bool _sending;
    private volatile bool _singleOnly;

    public QuotaBatcher(RedisConnection connection, Func<IDatabase, RedisKey[], RedisValue[], Task<RedisResult>> evaluate)
    {
        _connection = connection;
        _evaluate = evaluate;
        _deadlineTimer = TimeProvider.System.CreateTimer(static state => ((QuotaBatcher)state!).ExpireOverdue(), this, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
    }

    /// <summary>Decides one decision (two keys, <see cref="QuotaScript.ArgumentsPerDecision"/> arguments), alone or in a batch; <see cref="QuotaScript.ResultsPerDecision"/> integers back.</summary>
    public async Task<RedisResult[]> DecideAsync(RedisKey[] keys, RedisValue[] arguments, CancellationToken cancellationToken)
    {
        if (_singleOnly)
        {
            return await SendAloneAsync(keys, arguments, cancellationToken).ConfigureAwait(false);
        }

        var pending = new Pending(keys, arguments, Environment.TickCount64 + (long)_connection.Options.OperationTimeout.TotalMilliseconds);
        bool lead;
        long armAt = 0;
        lock (_lock)
        {
            _queue.Enqueue(pending);
            _unanswered.Enqueue(pending);
            if (_timerDue == long.MaxValue)
            {
                armAt = _timerDue = pending.Deadline;
            }

            lead = !_sending;
            _sending = true;
        }

        if (armAt != 0)
        {
            Arm(armAt);
        }

        if (lead)
        {
            _ = SendQueuedAsync();
        }

        // The caller stops waiting when its request is aborted (as Task.WaitAsync(token) did); the
        // decision is then no longer sent if it is still queued.
        using CancellationTokenRegistration registration = cancellationToken.CanBeCanceled
            ? cancellationToken.UnsafeRegister(static (state, token) => ((Pending)state!).Result.TrySetCanceled(token), pending)
            : default;
        return await pending.Result.Task.ConfigureAwait(false);
    }

    private void Arm(long due)
    {
        long wait = Math.Max(0, due - Environment.TickCount64);
        _deadlineTimer.Change(TimeSpan.FromMilliseconds(wait), Timeout.InfiniteTimeSpan);
    }

    // The deadline timer: answers the callers whose timeout ran out, then re-arms for the oldest left.
    private void ExpireOverdue()
    {
        List<Pending>? overdue = null;
        long armAt = 0;
        lock (_lock)
        {
            long now = Environment.TickCount64;
            while (_unanswered.TryPeek(out Pending? oldest))
            {
                if (oldest.Result.Task.IsCompleted)
                {
                    _unanswered.Dequeue();
                }
                else if (oldest.Deadline <= now)
                {
                    (overdue ??= []).Add(_unanswered.Dequeue());
                }
                else
                {
                    break;
                }
            }

            _timerDue = _unanswered.TryPeek(out Pending? next) ? next.Deadline : long.MaxValue;
            if (_timerDue != long.MaxValue)
            {
                armAt = _timerDue;
            }
        }

        if (armAt != 0)
        {
            Arm(armAt);
        }

        foreach (Pending pending in overdue ?? [])
        {
            pending.Result.TrySetException(new RedisUnavailableException(
                "Redis did not answer within " + _connection.Options.OperationTimeout.TotalMilliseconds + " ms.",
                new TimeoutException("The decision was not answered within the operation timeout.")));
        }
    }

    // Drops answered decisions from the front of the deadline queue, so that a busy gateway does not
    // keep a timeout's worth of answered decisions (and their results) alive until the timer fires.
    private void ForgetAnswered()
    {
        lock (_lock)
        {
            while (_unanswered.TryPeek(out Pending? oldest) && oldest.Result.Task.IsCompleted)
            {
                _unanswered.Dequeue();
            }
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
                    if (next.Result.Task.IsCompleted)
                    {
                        // Already answered: timed out or cancelled while queued.
                        continue;
                    }

                    if (next.Deadline <= now)
                    {
                        next.Result.TrySetException(new RedisUnavailableException(
                            "Redis did not answer within " + _connection.Options.OperationTimeout.TotalMilliseconds + " ms.",
                            new TimeoutException("The decision's caller stopped waiting before it was sent.")));
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

            if (_connection.IsCluster)
            {
                await SendPerSlotAsync(batch).ConfigureAwait(false);
                ForgetAnswered();
                continue;
            }

            try
            {
                RedisResult[] results = await SendAsync(batch, CancellationToken.None).ConfigureAwait(false);
                for (int i = 0; i < batch.Length; i++)
                {
                    batch[i].Result.TrySetResult(results[(i * QuotaScript.ResultsPerDecision)..((i + 1) * QuotaScript.ResultsPerDecision)]);
                }

                ForgetAnswered();
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

                ForgetAnswered();
            }
        }
    }

    // Redis Cluster: one script may only touch keys of one hash slot, and both keys of a decision
    // share one (hash tag). So the batch is split by slot and each part is one call to its node, the
    // parts in parallel: concurrent decisions of one partition (or of partitions sharing a slot) still
    // share a command.
    private async Task SendPerSlotAsync(Pending[] batch)
    {
        IConnectionMultiplexer multiplexer = _connection.Multiplexer;
        var bySlot = new Dictionary<int, List<Pending>>();
        foreach (Pending pending in batch)
        {
            int slot = multiplexer.HashSlot(pending.Keys[0]);
            if (!bySlot.TryGetValue(slot, out List<Pending>? part))
            {
                bySlot[slot] = part = [];
            }

            part.Add(pending);
        }

        await Task.WhenAll(bySlot.Values.Select(part => CompletePartAsync([.. part]))).ConfigureAwait(false);
    }

    private async Task CompletePartAsync(Pending[] part)
    {
        try
        {
            RedisResult[] results = await SendAsync(part, CancellationToken.None).ConfigureAwait(false);
            for (int i = 0; i < part.Length; i++)
            {
                part[i].Result.TrySetResult(results[(i * QuotaScript.ResultsPerDecision)..((i + 1) * QuotaScript.ResultsPerDecision)]);
            }
        }
        catch (Exception e)
        {
            foreach (Pending pending in part)
            {
                pending.Result.TrySetException(e);
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
        var arguments = new RedisValue[1 + (batch.Length * QuotaScript.ArgumentsPerDecision)];
        arguments[0] = RedisValue.EmptyString;   // no test clock: the script reads TIME once
        for (int i = 0; i < batch.Length; i++)
        {
            Array.Copy(batch[i].Keys, 0, keys, i * 2, 2);
            Array.Copy(batch[i].Arguments, 0, arguments, 1 + (i * QuotaScript.ArgumentsPerDecision), QuotaScript.ArgumentsPerDecision);
        }

        RedisResult result = await _connection.RunAsync(db => _evaluate(db, keys, arguments), cancellationToken).ConfigureAwait(false);
        var values = (RedisResult[]?)result;
        if (values is null || values.Length != batch.Length * QuotaScript.ResultsPerDecision)
        {
            throw new RedisUnavailableException("Redis returned an unexpected rate-limit result.", new FormatException($"Expected {batch.Length * QuotaScript.ResultsPerDecision} integers."));
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
