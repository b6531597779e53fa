namespace SessionGate.Hosting;

/// <summary>
/// A long-running loop of a component (the dev chain producing blocks, the Tendermint poller, the
/// key-change listener). The ASP.NET Core integration runs every registered worker as a hosted
/// service; other hosts can call <see cref="RunAsync"/> themselves.
/// </summary>
public interface IBackgroundWorker
{
    /// <summary>A short name for logs.</summary>
    string Name { get; }

    /// <summary>Runs until <paramref name="stoppingToken"/> is cancelled. Must not throw on transient faults.</summary>
    Task RunAsync(CancellationToken stoppingToken);
}
