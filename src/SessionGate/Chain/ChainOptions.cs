namespace SessionGate.Chain;

/// <summary>
/// How the gateway follows the chain (configuration section <c>SessionGate:Chain</c>). Validation
/// lives in <see cref="Validate"/> so the host can report every problem at start-up at once.
/// </summary>
public sealed partial record ChainOptions
{
    /// <summary>The configuration section these options bind to.</summary>
    public const string SectionName = "SessionGate:Chain";

    /// <summary>Dev (built-in simulated chain) or Tendermint (a real node). Default <see cref="ChainMode.Dev"/>.</summary>
    public ChainMode Mode { get; init; } = ChainMode.Dev;

    /// <summary>
    /// Tendermint RPC base URL, e.g. <c>http://127.0.0.1:26657</c>; the feed calls <c>status</c>,
    /// <c>block</c> and <c>block_by_hash</c> relative to it. Required in Tendermint mode.
    /// </summary>
    public string? RpcUrl { get; init; }

    /// <summary>How often the node's <c>/status</c> is polled for the newest block. Default 5 s.</summary>
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// How long a block is kept, measured from the block's own time. Set it to the freshness window
    /// plus the allowed clock skew plus a margin: a block older than this is forgotten (reported as
    /// unknown) because it could not pass the freshness check anyway. Default 6 minutes.
    /// </summary>
    public TimeSpan Retention { get; init; } = TimeSpan.FromMinutes(6);

    /// <summary>
    /// Health: the newest block counts as recent while it is younger than this (readiness reports
    /// a stalled chain or a feed that lost its node). Default 1 minute.
    /// </summary>
    public TimeSpan HealthyBlockAge { get; init; } = TimeSpan.FromMinutes(1);

    /// <summary>Settings of the built-in dev chain (section <c>SessionGate:Chain:Dev</c>).</summary>
    public DevChainOptions Dev { get; init; } = new();

    /// <summary>Settings of the Tendermint feed (section <c>SessionGate:Chain:Tendermint</c>).</summary>
    public TendermintOptions Tendermint { get; init; } = new();
}

/// <summary>The built-in simulated chain (section <c>SessionGate:Chain:Dev</c>).</summary>
public sealed record DevChainOptions
{
    /// <summary>Time between two blocks. Default 5 s.</summary>
    public TimeSpan BlockInterval { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Chain id mixed into every block hash (and into Redis key names). Default <c>sessiongate-dev</c>.</summary>
    public string ChainId { get; init; } = "sessiongate-dev";
}

/// <summary>Talking to a Tendermint node (section <c>SessionGate:Chain:Tendermint</c>).</summary>
public sealed record TendermintOptions
{
    /// <summary>Upper bound on one RPC request, connection included. Default 2 s.</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>How long a hash the node does not know is answered "unknown" without asking again. Default 30 s.</summary>
    public TimeSpan NegativeCacheTtl { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Most hashes held in the negative cache (memory bound whatever clients send). Default 100,000.</summary>
    public int NegativeCacheCapacity { get; init; } = 100_000;

    /// <summary>
    /// Most skipped heights fetched with <c>/block?height=</c> after one poll (newest first). Blocks
    /// not fetched are still found on demand by hash. 0 disables gap filling. Default 100.
    /// </summary>
    public int MaxBackfillPerPoll { get; init; } = 100;

    /// <summary>
    /// Most distinct hashes looked up on the node at the same time; lookups beyond it are answered
    /// "unavailable" at once instead of queueing onto the node. Default 64.
    /// </summary>
    public int MaxConcurrentLookups { get; init; } = 64;
}
