using System.Collections.Concurrent;
using SessionGate.Crypto;
using SessionGate.Tests.Crypto;
using SessionGate.Verification.Signatures;

namespace SessionGate.Tests.Verification.Signatures;

public sealed class SignatureBatcherTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task VerifyAsync_Idle_VerifiesAtOnceOnTheCallersThread()
    {
        var recorder = new RecordingVerifier();
        var batcher = new SignatureBatcher(64, 1, recorder.VerifyEach);
        Sr25519SignatureItem item = Sr25519BatchTests.SignedItems(1, seed: 1)[0];

        ValueTask<bool> result = batcher.VerifyAsync(item);

        Assert.True(result.IsCompletedSuccessfully);
        Assert.True(await result);
        Assert.Equal([1], recorder.BatchSizes);
    }

    [Fact]
    public async Task VerifyAsync_CallersArrivingWhileOneIsInFlight_ShareTheNextBatch()
    {
        Sr25519SignatureItem[] items = Sr25519BatchTests.SignedItems(11, seed: 2);
        using var recorder = new RecordingVerifier { BlockFirstCall = true };
        var batcher = new SignatureBatcher(64, 1, recorder.VerifyEach);

        Task<bool> first = Task.Run(() => batcher.VerifyAsync(items[0]).AsTask());
        Assert.True(recorder.FirstCallEntered.Wait(Deadline));
        Task<bool>[] later = items[1..].Select(i => batcher.VerifyAsync(i).AsTask()).ToArray();
        Assert.All(later, t => Assert.False(t.IsCompleted));
        recorder.ReleaseFirstCall.Set();

        Assert.True(await first);
        Assert.All(await Task.WhenAll(later), Assert.True);
        Assert.Equal([1, 10], recorder.BatchSizes);
    }

    [Fact]
    public async Task VerifyAsync_MoreQueuedThanTheBatchSize_SplitsIntoBoundedBatches()
    {
        Sr25519SignatureItem[] items = Sr25519BatchTests.SignedItems(101, seed: 3);
        using var recorder = new RecordingVerifier { BlockFirstCall = true };
        var batcher = new SignatureBatcher(64, 1, recorder.VerifyEach);

        Task<bool> first = Task.Run(() => batcher.VerifyAsync(items[0]).AsTask());
        Assert.True(recorder.FirstCallEntered.Wait(Deadline));
        Task<bool>[] later = items[1..].Select(i => batcher.VerifyAsync(i).AsTask()).ToArray();
        recorder.ReleaseFirstCall.Set();
        await first;
        await Task.WhenAll(later);

        Assert.Equal([1, 64, 36], recorder.BatchSizes);
    }

    [Fact]
    public async Task VerifyAsync_ManyConcurrentCallersWithSomeBadSignatures_EachGetsItsOwnVerdict()
    {
        Sr25519SignatureItem[] items = Sr25519BatchTests.SignedItems(300, seed: 4);
        for (int i = 0; i < items.Length; i += 7)
        {
            byte[] signature = items[i].Signature.ToArray();
            signature[5] ^= 0x10;
            items[i] = items[i] with { Signature = signature };
        }

        var batcher = new SignatureBatcher();
        bool[] verdicts = await Task.WhenAll(items.Select(i => Task.Run(() => batcher.VerifyAsync(i).AsTask())));

        Assert.Equal(items.Select(i => Sr25519.Verify(i.PublicKey.Span, i.Context.Span, i.Message.Span, i.Signature.Span)), verdicts);
        Assert.Contains(verdicts, v => !v);
    }

    [Fact]
    public async Task VerifyAsync_VerificationThrows_CallersSeeTheErrorAndTheBatcherRecovers()
    {
        Sr25519SignatureItem item = Sr25519BatchTests.SignedItems(1, seed: 5)[0];
        using var recorder = new RecordingVerifier { BlockFirstCall = true, ThrowFromCall = 2 };
        var batcher = new SignatureBatcher(64, 1, recorder.VerifyEach);

        Task<bool> first = Task.Run(() => batcher.VerifyAsync(item).AsTask());
        Assert.True(recorder.FirstCallEntered.Wait(Deadline));
        Task<bool> queued = batcher.VerifyAsync(item).AsTask();
        recorder.ReleaseFirstCall.Set();

        Assert.True(await first);
        await Assert.ThrowsAsync<InvalidOperationException>(() => queued);
        Assert.True(await batcher.VerifyAsync(item));
    }

    [Fact]
    public async Task VerifyAsync_QueuedCallerCancels_OnlyThatCallerIsCancelled()
    {
        Sr25519SignatureItem[] items = Sr25519BatchTests.SignedItems(3, seed: 6);
        using var recorder = new RecordingVerifier { BlockFirstCall = true };
        var batcher = new SignatureBatcher(64, 1, recorder.VerifyEach);
        using var cancellation = new CancellationTokenSource();

        Task<bool> first = Task.Run(() => batcher.VerifyAsync(items[0]).AsTask());
        Assert.True(recorder.FirstCallEntered.Wait(Deadline));
        Task<bool> cancelled = batcher.VerifyAsync(items[1], cancellation.Token).AsTask();
        Task<bool> other = batcher.VerifyAsync(items[2]).AsTask();
        await cancellation.CancelAsync();
        recorder.ReleaseFirstCall.Set();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => cancelled);
        Assert.True(await first);
        Assert.True(await other);
    }

    /// <summary>Records batch sizes; can hold the first call until released, and fail a chosen call.</summary>
    private sealed class RecordingVerifier : IDisposable
    {
        private readonly ConcurrentQueue<int> _sizes = new();
        private int _calls;

        public bool BlockFirstCall { get; init; }

        public int ThrowFromCall { get; init; }

        public ManualResetEventSlim FirstCallEntered { get; } = new();

        public ManualResetEventSlim ReleaseFirstCall { get; } = new();

        public int[] BatchSizes => [.. _sizes];

        public void VerifyEach(ReadOnlySpan<Sr25519SignatureItem> items, Span<bool> results)
        {
            int call = Interlocked.Increment(ref _calls);
            _sizes.Enqueue(items.Length);
            if (call == 1 && BlockFirstCall)
            {
                FirstCallEntered.Set();
                ReleaseFirstCall.Wait(Deadline);
            }

            if (call == ThrowFromCall)
            {
                throw new InvalidOperationException("verification failed");
            }

            Sr25519.VerifyEach(items, results);
        }

        public void Dispose()
        {
            FirstCallEntered.Dispose();
            ReleaseFirstCall.Dispose();
        }
    }
}
