namespace SessionGate.Verification;

/// <summary>
/// Temporary blocking of clients (IP addresses) that fail authentication repeatedly (KIP_9.1): after
/// N failures within a window the client is refused with <c>ip_blocked</c> for a while. Counts are
/// shared through Redis when configured. Memory is bounded whatever clients send.
/// </summary>
public interface IClientBlocker
{
    /// <summary>How long the client stays blocked, or null when it is not blocked. Hot path: answered locally.</summary>
    ValueTask<TimeSpan?> GetBlockedForAsync(string client, CancellationToken cancellationToken = default);

    /// <summary>Counts one authentication failure; returns the block duration when this failure blocks the client.</summary>
    ValueTask<TimeSpan?> RecordFailureAsync(string client, CancellationToken cancellationToken = default);

    /// <summary>Clients blocked right now, with how long each stays blocked.</summary>
    Task<IReadOnlyList<BlockedClient>> ListBlockedAsync(CancellationToken cancellationToken = default);

    /// <summary>Lifts a block (and forgets the failures); false when the client was not blocked.</summary>
    Task<bool> UnblockAsync(string client, CancellationToken cancellationToken = default);
}

/// <summary>A blocked client and the time left on its block.</summary>
public sealed record BlockedClient(string Client, TimeSpan Remaining);

/// <summary>Settings of <see cref="IClientBlocker"/> implementations.</summary>
public sealed record ClientBlockingOptions
{
    /// <summary>Off switch. Default on.</summary>
    public bool Enabled { get; init; } = true;

    /// <summary>Failures within <see cref="FailureWindow"/> that block a client. Default 30.</summary>
    public int FailureThreshold { get; init; } = 30;

    /// <summary>The window failures are counted in. Default 1 minute.</summary>
    public TimeSpan FailureWindow { get; init; } = TimeSpan.FromMinutes(1);

    /// <summary>How long a client stays blocked. Default 5 minutes.</summary>
    public TimeSpan BlockDuration { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>Clients tracked in memory at most (failure counters and local block entries). Default 100,000.</summary>
    public int MaxTrackedClients { get; init; } = 100_000;
}
