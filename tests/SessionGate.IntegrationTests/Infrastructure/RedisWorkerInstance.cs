using SessionGate.Hosting;
using SessionGate.AspNetCore.Hosting;
using SessionGate.Storage.Redis;

namespace SessionGate.IntegrationTests.Infrastructure;

/// <summary>
/// One gateway instance's view of a Redis-backed store: its own <see cref="RedisConnection"/> and,
/// unless told otherwise, the store's background worker running as the ASP.NET host runs it.
/// Disposing stops the worker and closes the connection.
/// </summary>
internal abstract class RedisWorkerInstance : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private Task _worker = Task.CompletedTask;

    protected RedisWorkerInstance(RedisConnection connection) => Connection = connection;

    public RedisConnection Connection { get; }

    /// <summary>Starts <paramref name="worker"/> and waits (10 s at most) until <paramref name="ready"/> holds.</summary>
    protected async Task RunWorkerAsync(IBackgroundWorker worker, Func<bool> ready, string because)
    {
        _worker = Task.Run(() => worker.RunAsync(_stop.Token));
        await Eventually.HoldsAsync(() => Task.FromResult(ready()), TimeSpan.FromSeconds(10), because);
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _worker;
        _stop.Dispose();
        await Connection.DisposeAsync();
    }
}
