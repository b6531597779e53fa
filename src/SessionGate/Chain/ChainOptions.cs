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

    /// <summary>
    /// Cosmos REST (LCD) base URL for balances, e.g. <c>http://127.0.0.1:1317</c>: balances are read
    /// from <c>{RestUrl}/cosmos/bank/v1beta1/balances/{address}</c>. A URL holding the placeholder
    /// <c>{address}</c> is used as the whole request template instead, which is how INTERX is reached
    /// (<c>https://interx.example/api/kira/balances/{address}</c>, same JSON). Absent: balances come
    /// from <see cref="DevChainOptions.Accounts"/> (accounts not listed have 0) whatever the
    /// <see cref="Mode"/>. Requests are bounded by <see cref="TendermintOptions.RequestTimeout"/>.
    /// </summary>
    public string? RestUrl { get; init; }

    /// <summary>The bank denomination balances are read in (KEX: <c>ukex</c>). Default <c>ukex</c>.</summary>
    public string Denom { get; init; } = "ukex";

    /// <summary>
    /// Decimal places of <see cref="Denom"/>: whole tokens = amount / 10^Decimals (KEX: 6, so
    /// 1,000,000 ukex = 1 KEX). Between 0 and 18. Default 6.
    /// </summary>
    public int Decimals { get; init; } = 6;

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

    /// <summary>
    /// Pins the chain id (what wallet-signed grants must name). Absent: the dev chain's
    /// <see cref="DevChainOptions.ChainId"/>, or the Tendermint node's <c>/status</c>
    /// <c>result.node_info.network</c>. A node that reports another network than the pin is a
    /// start-up error when it answers at start-up, and later makes <c>/readyz</c> not ready, its
    /// blocks refused and grants answer <c>503 chain_unavailable</c>. Unpinned, the first network the
    /// node reports is the chain id; a node that later reports another one is treated the same way.
    /// At most 50 ASCII letters, digits, '-', '_' or '.'.
    /// </summary>
    public string? ChainId { get; init; }

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

    /// <summary>
    /// Balances served when no <see cref="ChainOptions.RestUrl"/> is set (section
    /// <c>SessionGate:Chain:Dev:Accounts</c>), in whole tokens; accounts not listed have 0.
    /// </summary>
    public IReadOnlyList<DevAccountBalance> Accounts { get; init; } = [];
}

/// <summary>One configured balance (<c>SessionGate:Chain:Dev:Accounts:N</c>).</summary>
public sealed record DevAccountBalance
{
    /// <summary>The account, a bech32 address (e.g. <c>kira1…</c>).</summary>
    public string Account { get; init; } = "";

    /// <summary>Balance in whole tokens (KEX, not ukex); fractions allowed. Must not be negative.</summary>
    public decimal Balance { get; init; }
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
