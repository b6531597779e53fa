using Microsoft.Extensions.Logging;
using SessionGate.Caching;
using SessionGate.Hosting;
using SessionGate.Protocol;

namespace SessionGate.Chain;

/// <summary>
/// Follows a Tendermint node: polls <c>/status</c> every <see cref="ChainOptions.PollInterval"/>,
/// fills skipped heights with <c>/block?height=</c>, and looks up hashes it does not know with
/// <c>/block_by_hash</c> (one request per hash at a time, answers cached). Blocks go to the
/// <see cref="IBlockStore"/>, so with Redis every gateway instance sees what any one learned.
/// <para>
/// Lookup order: local copy (synchronous) → recent answers (negative cache, synchronous) → one
/// shared lookup per hash: the shared store (Redis GET), then the node. "Block null" and JSON-RPC
/// errors are Unknown for <see cref="TendermintOptions.NegativeCacheTtl"/>; transport errors,
/// timeouts, 5xx and malformed JSON are Unavailable for one second, and for that second no other
/// hash is sent to the node either (a successful poll ends it early), so a dead node is not hammered
/// by a flood of distinct hashes.
/// A block the node returns but that is already past the retention is cached as found for the
/// negative TTL (the caller then rejects it as expired), so old real hashes cannot amplify either.
/// </para>
/// Split across partial files: this one (state, health), <c>.Lookup.cs</c>, <c>.Polling.cs</c>, <c>.ChainId.cs</c>.
/// </summary>
internal sealed partial class TendermintBlockFeed : IBlockFeed, IBlockFeedHealth, IBackgroundWorker
{
    private static readonly TimeSpan UnavailableAnswerTtl = TimeSpan.FromSeconds(1);

    private readonly ChainOptions _options;
    private readonly IBlockStore _store;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;
    private readonly TendermintRpcClient _rpc;
    private readonly BoundedCache<Bytes32, BlockLookup> _recentAnswers;
    private readonly TimeSpan _unavailableTtl;
    private long _lastPollUtcTicks;
    private int _consecutiveFailures;
    private long _nodeBackoffUntil;

    /// <summary>
    /// Creates the feed. Requests go to <paramref name="httpClient"/>'s <see cref="HttpClient.BaseAddress"/>,
    /// or to <see cref="ChainOptions.RpcUrl"/> when it has none. The feed applies
    /// <see cref="TendermintOptions.RequestTimeout"/> itself (leave <see cref="HttpClient.Timeout"/> at least as long).
    /// </summary>
    /// <exception cref="ArgumentException">Neither a base address nor an RPC URL is set.</exception>
    public TendermintBlockFeed(HttpClient httpClient, ChainOptions options, IBlockStore store, TimeProvider timeProvider, ILogger<TendermintBlockFeed> logger)
    {
        ArgumentNullException.ThrowIfNull(httpClient);
        ArgumentNullException.ThrowIfNull(options);
        Uri baseUri = httpClient.BaseAddress
            ?? (Uri.TryCreate(options.RpcUrl, UriKind.Absolute, out Uri? rpcUrl) ? rpcUrl : null)
            ?? throw new ArgumentException("Set HttpClient.BaseAddress or ChainOptions.RpcUrl to the node's RPC URL.", nameof(httpClient));
        _options = options;
        _store = store;
        _timeProvider = timeProvider;
        _logger = logger;
        _rpc = new TendermintRpcClient(httpClient, baseUri, options.Tendermint.RequestTimeout, timeProvider, logger);
        _recentAnswers = new BoundedCache<Bytes32, BlockLookup>(options.Tendermint.NegativeCacheCapacity, timeProvider);
        _unavailableTtl = options.Tendermint.NegativeCacheTtl < UnavailableAnswerTtl ? options.Tendermint.NegativeCacheTtl : UnavailableAnswerTtl;
    }

    /// <inheritdoc />
    public string Name => "tendermint-block-feed";

    /// <inheritdoc />
    public BlockInfo? Latest => _store.Latest;

    /// <summary>After a failed request, keeps lookups off the node for a short while.</summary>
    private void BackOffFromNode() =>
        Volatile.Write(ref _nodeBackoffUntil, _timeProvider.GetTimestamp() + (long)(_unavailableTtl.TotalSeconds * _timeProvider.TimestampFrequency));

    private bool IsBackingOffFromNode => _timeProvider.GetTimestamp() < Volatile.Read(ref _nodeBackoffUntil);

    /// <inheritdoc />
    public BlockFeedHealth GetHealth()
    {
        long ticks = Volatile.Read(ref _lastPollUtcTicks);
        DateTimeOffset? lastPoll = ticks == 0 ? null : new DateTimeOffset(ticks, TimeSpan.Zero);
        return BlockFeedHealth.Create(
            lastPoll, Volatile.Read(ref _consecutiveFailures), _store.Latest, _timeProvider.GetUtcNow(), _options.HealthyBlockAge)
            with { ChainIdProblem = GetChainId().Problem };
    }
}
