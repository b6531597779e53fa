// Group commit for signature verification, as the limiter batches its Redis calls: up to
// maxConcurrency verifications run at once; when one is free, a caller verifies at once on its own
// thread (an idle gateway never waits for a batch to fill). Callers that arrive while every slot is
// busy queue up and are verified together, up to maxBatchSize at a time, with one multi-scalar
// multiplication (Sr25519.VerifyEach), which costs far less per signature under load. A failing
// batch is bisected inside VerifyEach, so one bad signature only fails its own caller.
// When a caller's own verification ends and others are queued, its slot passes to a pool thread
// that drains the queue, so the caller returns at once instead of verifying strangers' headers.
using SessionGate.Crypto;

namespace SessionGate.Verification.Signatures;

internal sealed class SignatureBatcher : ISignatureVerifier
{
    /// <summary>Verifies items and writes one verdict per item (Sr25519.VerifyEach in production).</summary>
    internal delegate void BatchVerification(ReadOnlySpan<Sr25519SignatureItem> items, Span<bool> results);

    private readonly object _gate = new();
    private readonly Queue<Pending> _queue = new();
    private readonly BatchVerification _verifyEach;
    private readonly int _maxBatchSize;
    private readonly int _maxConcurrency;
    private int _running;

    /// <summary>A batcher with one verification slot per processor and batches of at most 64.</summary>
    public SignatureBatcher()
        : this(Sr25519.MaxBatchSize, Environment.ProcessorCount, Sr25519.VerifyEach)
    {
    }

    internal SignatureBatcher(int maxBatchSize, int maxConcurrency, BatchVerification verifyEach)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxBatchSize, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxConcurrency, 1);
        _maxBatchSize = maxBatchSize;
        _maxConcurrency = maxConcurrency;
        _verifyEach = verifyEach;
    }

    /// <inheritdoc />
    public ValueTask<bool> VerifyAsync(Sr25519SignatureItem item, CancellationToken cancellationToken = default)
    {
        Pending? queued = null;
        lock (_gate)
        {
            if (_running < _maxConcurrency)
            {
                _running++;
            }
            else
            {
                queued = new Pending(item);
                _queue.Enqueue(queued);
            }
        }

        if (queued is not null)
        {
            // Cancelling only stops this caller's wait; the batch it joined is still verified for the others.
            return new ValueTask<bool>(cancellationToken.CanBeCanceled ? queued.Task.WaitAsync(cancellationToken) : queued.Task);
        }

        try
        {
            Span<bool> result = stackalloc bool[1];
            _verifyEach([item], result);
            return new ValueTask<bool>(result[0]);
        }
        finally
        {
            ReleaseOrHandOver();
        }
    }

    private void ReleaseOrHandOver()
    {
        lock (_gate)
        {
            if (_queue.Count == 0)
            {
                _running--;
                return;
            }
        }

        ThreadPool.UnsafeQueueUserWorkItem(static batcher => batcher.Drain(), this, preferLocal: false);
    }

    /// <summary>Holds a slot and verifies queued callers batch by batch until the queue is empty.</summary>
    private void Drain()
    {
        var batch = new List<Pending>(_maxBatchSize);
        while (true)
        {
            lock (_gate)
            {
                if (_queue.Count == 0)
                {
                    _running--;
                    return;
                }

                while (batch.Count < _maxBatchSize && _queue.TryDequeue(out Pending? next))
                {
                    batch.Add(next);
                }
            }

            Complete(batch);
            batch.Clear();
        }
    }

    private void Complete(List<Pending> batch)
    {
        var items = new Sr25519SignatureItem[batch.Count];
        var results = new bool[batch.Count];
        for (int i = 0; i < items.Length; i++)
        {
            items[i] = batch[i].Item;
        }

        try
        {
            _verifyEach(items, results);
        }
        catch (Exception e)
        {
            // Not expected (verification never throws on input), but a caller must never hang.
            foreach (Pending pending in batch)
            {
                pending.Fail(e);
            }

            return;
        }

        for (int i = 0; i < results.Length; i++)
        {
            batch[i].Succeed(results[i]);
        }
    }

    private sealed class Pending(Sr25519SignatureItem item)
    {
        // Continuations run elsewhere, so a drain never runs a caller's request pipeline inline.
        private readonly TaskCompletionSource<bool> _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Sr25519SignatureItem Item { get; } = item;

        public Task<bool> Task => _completion.Task;

        public void Succeed(bool valid) => _completion.TrySetResult(valid);

        public void Fail(Exception e) => _completion.TrySetException(e);
    }
}
