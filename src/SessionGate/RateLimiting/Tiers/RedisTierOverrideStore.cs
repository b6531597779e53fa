using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using SessionGate.Hosting;
using SessionGate.Storage.Redis;
using StackExchange.Redis;

namespace SessionGate.RateLimiting.Tiers;

/// <summary>
/// Tier overrides shared by every gateway instance through Redis (layout: <see cref="TierOverrideLayout"/>).
/// Each instance holds a copy of all overrides and answers <see cref="GetAsync"/> from it, synchronously
/// and without Redis — so Redis trouble can never fail or slow a request; the copy in hand keeps
/// being used (before the first load succeeds there are no overrides: balance tiers apply).
/// <para>
/// Propagation: a write is one Lua script (change + counter + PUBLISH) and is applied by the writing
/// instance at once; other instances apply the published change within milliseconds. The background
/// worker (<see cref="RunAsync"/>, required) also reads the counter every
/// <see cref="RedisTierOverrideStoreOptions.PollInterval"/> (250 ms) and reloads everything (HGETALL)
/// when it differs from what this instance applied, so a lost message delays a change by at most
/// about that interval: every instance honours a change within 1 s while Redis is reachable.
/// </para>
/// </summary>
internal sealed partial class RedisTierOverrideStore : ITierOverrideStore, IBackgroundWorker
{
    private readonly RedisConnection _connection;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;
    private readonly RedisTierOverrideStoreOptions _options;
    private readonly TierOverrideLayout _layout;
    private readonly RedisSubscription _subscription;

    // Replaced whole on a reload, changed entry by entry by notifications (under _lock); read lock-free.
    private volatile ConcurrentDictionary<string, string> _overrides = new(StringComparer.Ordinal);

    /// <summary>Creates the store; run <see cref="RunAsync"/> as a background worker to load and follow the overrides.</summary>
    public RedisTierOverrideStore(RedisConnection connection, TimeProvider timeProvider, ILogger<RedisTierOverrideStore> logger, RedisTierOverrideStoreOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(timeProvider);
        ArgumentNullException.ThrowIfNull(logger);
        options ??= new RedisTierOverrideStoreOptions();
        options.Validate();
        _connection = connection;
        _timeProvider = timeProvider;
        _logger = logger;
        _options = options;
        _layout = new TierOverrideLayout(connection);
        _subscription = new RedisSubscription(connection, _layout.Channel, OnChangeMessage);
    }

    /// <inheritdoc />
    public string Name => "tier-override-changes";

    /// <summary>Overrides held by this instance now.</summary>
    internal int Count => _overrides.Count;

    /// <inheritdoc />
    public ValueTask<string?> GetAsync(string account, CancellationToken cancellationToken = default) =>
        new(TierOverrideRules.TryNormalize(account, out string key) && _overrides.TryGetValue(key, out string? tier) ? tier : null);

    /// <inheritdoc />
    /// <exception cref="ArgumentException">The account or tier name is not acceptable (<see cref="TierOverrideRules"/>).</exception>
    /// <exception cref="InvalidOperationException">The shared hash already holds <see cref="RedisTierOverrideStoreOptions.MaxOverrides"/> overrides.</exception>
    /// <exception cref="RedisUnavailableException">Redis cannot be reached; nothing was changed.</exception>
    public async Task SetAsync(string account, string? tierName, CancellationToken cancellationToken = default)
    {
        string key = TierOverrideRules.NormalizeAccount(account);
        TierOverrideRules.CheckTierName(tierName);
        RedisResult result = await _connection.RunAsync(
            db => db.ScriptEvaluateAsync(
                TierOverrideLayout.SetScript,
                [_layout.Overrides, _layout.Generation],
                [key, tierName ?? "", (string?)_layout.Channel, _options.MaxOverrides]),
            cancellationToken).ConfigureAwait(false);
        var parts = (RedisResult[])result!;
        if ((int)parts[0] == 1)
        {
            throw new InvalidOperationException($"At most {_options.MaxOverrides} tier overrides can be set.");
        }

        // Applied here at once, so the writer never serves its own stale copy until its message returns.
        long generation = (long)parts[1];
        if (generation > 0)
        {
            ApplyChange(generation, key, tierName);
        }
    }
}
