using SessionGate.Balances;

namespace SessionGate.Tests.Balances;

public sealed class CachingBalanceSourceSingleFlightTests
{
    [Fact]
    public async Task GetBalanceAsync_HundredConcurrentCallersOnAColdAccount_ShareOneFetch()
    {
        var rig = new CachingRig();
        rig.Inner.Balances[CachingRig.Account] = 5000m;
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        rig.Inner.Gate = gate.Task;
        using var start = new Barrier(4);

        // Four dedicated threads (not pool threads, which a blocking barrier would starve), 25 callers each, released together.
        Task<Task<BalanceResult>[]>[] threads =
        [
            .. Enumerable.Range(0, 4).Select(_ => Task.Factory.StartNew(
                () =>
                {
                    start.SignalAndWait();
                    return Enumerable.Range(0, 25).Select(_ => rig.Get().AsTask()).ToArray();
                },
                CancellationToken.None,
                TaskCreationOptions.LongRunning,
                TaskScheduler.Default)),
        ];
        Task<BalanceResult>[] callers = [.. (await Task.WhenAll(threads)).SelectMany(t => t)];

        Assert.Equal(100, callers.Length);
        Assert.Equal(1, rig.Inner.TotalCalls);
        Assert.All(callers, c => Assert.False(c.IsCompleted));
        gate.SetResult();
        BalanceResult[] results = await Task.WhenAll(callers);

        Assert.All(results, r => Assert.Equal(results[0], r));
        Assert.Equal(5000m, results[0].Balance);
        Assert.Equal(1, rig.Inner.TotalCalls);
        Assert.Equal(0, rig.Source.InFlightCount);
    }

    [Fact]
    public async Task GetBalanceAsync_ExpiredEntryWithConcurrentCallers_ShareOneFetch()
    {
        var rig = new CachingRig();
        await rig.PrimeAsync(1m);
        rig.Inner.Balances[CachingRig.Account] = 2m;
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        rig.Inner.Gate = gate.Task;
        rig.Clock.Advance(rig.Ttl);

        Task<BalanceResult>[] callers = [.. Enumerable.Range(0, 100).Select(_ => rig.Get().AsTask())];
        gate.SetResult();

        Assert.All(await Task.WhenAll(callers), r => Assert.Equal(2m, r.Balance));
        Assert.Equal(2, rig.Inner.TotalCalls);
    }

    [Fact]
    public async Task GetBalanceAsync_OneCallerCancels_OthersStillGetTheBalance()
    {
        var rig = new CachingRig();
        rig.Inner.Balances[CachingRig.Account] = 5000m;
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        rig.Inner.Gate = gate.Task;
        using var impatient = new CancellationTokenSource();

        Task<BalanceResult> cancelled = rig.Get(cancellationToken: impatient.Token).AsTask();
        Task<BalanceResult> patient = rig.Get().AsTask();
        await impatient.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => cancelled);
        gate.SetResult();

        Assert.Equal(5000m, (await patient).Balance);
        Assert.Equal(1, rig.Inner.TotalCalls);
    }

    [Fact]
    public async Task GetBalanceAsync_DistinctAccounts_FetchIndependently()
    {
        var rig = new CachingRig();
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        rig.Inner.Gate = gate.Task;

        Task<BalanceResult>[] callers = [.. Enumerable.Range(0, 10).Select(i => rig.Get("kira1acct" + i).AsTask())];
        Assert.Equal(10, rig.Source.InFlightCount);
        gate.SetResult();
        await Task.WhenAll(callers);

        Assert.Equal(10, rig.Inner.TotalCalls);
    }
}
