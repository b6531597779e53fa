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

/// <summary>Settings of <see cref="IClientBlocker"/> implementations and of the verification budget.</summary>
public sealed record ClientBlockingOptions
{
    /// <summary>
    /// The default <see cref="VerificationsPerMinute"/>: 120, two a second. A browser session signs a
    /// new header about once per block window (minutes), so this leaves room for dozens of users
    /// behind one address, while one address can cost at most 120 × two sr25519 verifications a minute.
    /// </summary>
    public const int DefaultVerificationsPerMinute = 120;

    /// <summary>Off switch. Default on.</summary>
    public bool Enabled { get; init; } = true;

    /// <summary>Failures within <see cref="FailureWindow"/> that block a client. Default 30. <see cref="Prefixes"/> may set another per address range.</summary>
    public int FailureThreshold { get; init; } = 30;

    /// <summary>
    /// First-seen signature checks per client (address, IPv6 prefix) per minute, charged before any
    /// signature work; beyond it a new header is refused with <c>429 verification_budget_exceeded</c>
    /// without being verified. Applies whether or not <see cref="Enabled"/> is set; 0 switches it off.
    /// Default <see cref="DefaultVerificationsPerMinute"/>.
    /// </summary>
    public int VerificationsPerMinute { get; init; } = DefaultVerificationsPerMinute;

    /// <summary>Address ranges with their own threshold or budget (known NATs, load balancers). First match wins.</summary>
    public List<ClientPrefixOptions> Prefixes { get; init; } = [];

    /// <summary>The window failures are counted in. Default 1 minute.</summary>
    public TimeSpan FailureWindow { get; init; } = TimeSpan.FromMinutes(1);

    /// <summary>How long a client stays blocked. Default 5 minutes.</summary>
    public TimeSpan BlockDuration { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>Clients tracked in memory at most (failure counters and local block entries). Default 100,000.</summary>
    public int MaxTrackedClients { get; init; } = 100_000;
}

/// <summary>
/// An address range (<c>SessionGate:ClientBlocking:Prefixes:N</c>) with its own blocking threshold
/// and verification budget, e.g. a NAT or load balancer many honest users share.
/// </summary>
public sealed record ClientPrefixOptions
{
    /// <summary>The range in CIDR notation, e.g. <c>10.0.0.0/8</c> or <c>2001:db8::/32</c>.</summary>
    public string? Cidr { get; init; }

    /// <summary>Failures that block a client of this range; absent: <see cref="ClientBlockingOptions.FailureThreshold"/>.</summary>
    public int? FailureThreshold { get; init; }

    /// <summary>First-seen signature checks per minute for a client of this range (0: no budget); absent: <see cref="ClientBlockingOptions.VerificationsPerMinute"/>.</summary>
    public int? VerificationsPerMinute { get; init; }
}
