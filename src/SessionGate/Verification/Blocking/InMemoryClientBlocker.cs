using Microsoft.Extensions.Logging;

namespace SessionGate.Verification.Blocking;

/// <summary>
/// Client blocking for one instance (KIP_9.1): <see cref="ClientBlockingOptions.FailureThreshold"/>
/// failures (or a matching <see cref="ClientBlockingOptions.Prefixes"/> entry's) within <see cref="ClientBlockingOptions.FailureWindow"/> (counted from the first one) block
/// the client for <see cref="ClientBlockingOptions.BlockDuration"/>. A block is not extended by failures
/// during it, and the count starts from zero after it. Counters and blocks together never hold more
/// than <see cref="ClientBlockingOptions.MaxTrackedClients"/> clients, whatever clients send.
/// </summary>
internal sealed class InMemoryClientBlocker : IClientBlocker
{
    private readonly ClientBlockingOptions _options;
    private readonly ILogger<InMemoryClientBlocker> _logger;
    private readonly FailureCounter _failures;
    private readonly BlockTable _blocks;
    private readonly ClientPrefixTable _prefixes;

    /// <summary>Creates the blocker; throws <see cref="ArgumentException"/> for invalid enabled options.</summary>
    public InMemoryClientBlocker(ClientBlockingOptions options, TimeProvider timeProvider, ILogger<InMemoryClientBlocker> logger)
    {
        ClientBlockingRules.Validate(options);
        ArgumentNullException.ThrowIfNull(timeProvider);
        ArgumentNullException.ThrowIfNull(logger);
        _options = options;
        _logger = logger;
        _prefixes = new ClientPrefixTable(options);
        _failures = new FailureCounter(ClientBlockingRules.CounterCapacity(options), options.FailureWindow, timeProvider);
        _blocks = new BlockTable(ClientBlockingRules.BlockCapacity(options), timeProvider);
    }

    /// <summary>Clients held in memory now (failure counters plus blocks). For tests.</summary>
    internal int TrackedClients => _failures.Tracked + _blocks.Count;

    /// <inheritdoc />
    public ValueTask<TimeSpan?> GetBlockedForAsync(string client, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(_options.Enabled ? _blocks.GetRemaining(client) : null);

    /// <inheritdoc />
    /// <remarks>Returns the time left whenever the client is blocked after this failure, newly or already.</remarks>
    public ValueTask<TimeSpan?> RecordFailureAsync(string client, CancellationToken cancellationToken = default)
    {
        if (!_options.Enabled)
        {
            return ValueTask.FromResult<TimeSpan?>(null);
        }

        ArgumentException.ThrowIfNullOrEmpty(client);
        if (_blocks.GetRemaining(client) is { } remaining)
        {
            return ValueTask.FromResult<TimeSpan?>(remaining);
        }

        int threshold = _prefixes.FailureThresholdOf(client);
        if (!_failures.Increment(client, threshold))
        {
            return ValueTask.FromResult<TimeSpan?>(null);
        }

        _blocks.Block(client, _options.BlockDuration);
        Log.ClientBlocked(_logger, Diagnostics.LogValue.Escape(client), _options.BlockDuration, threshold, _options.FailureWindow);
        return ValueTask.FromResult<TimeSpan?>(_options.BlockDuration);
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<BlockedClient>> ListBlockedAsync(CancellationToken cancellationToken = default) =>
        Task.FromResult(_options.Enabled ? _blocks.Snapshot() : []);

    /// <inheritdoc />
    public Task<bool> UnblockAsync(string client, CancellationToken cancellationToken = default)
    {
        if (!_options.Enabled)
        {
            return Task.FromResult(false);
        }

        ArgumentException.ThrowIfNullOrEmpty(client);
        _failures.Reset(client);
        bool wasBlocked = _blocks.Remove(client);
        if (wasBlocked)
        {
            Log.ClientUnblocked(_logger, Diagnostics.LogValue.Escape(client));
        }

        return Task.FromResult(wasBlocked);
    }
}
