using System.Collections.Concurrent;

namespace SessionGate.RateLimiting.Tiers;

/// <summary>
/// Tier overrides of a single gateway instance (no Redis). Reads are one dictionary lookup and
/// never allocate; overrides are set by operators, so their number is bounded by
/// <c>maxOverrides</c> rather than by client input (lookups never add entries).
/// </summary>
internal sealed class InMemoryTierOverrideStore : ITierOverrideStore
{
    /// <summary>Most overrides held by default.</summary>
    public const int DefaultMaxOverrides = 100_000;

    private readonly ConcurrentDictionary<string, string> _overrides = new(StringComparer.Ordinal);
    private readonly int _maxOverrides;

    /// <summary>Creates an empty store holding at most <paramref name="maxOverrides"/> overrides.</summary>
    public InMemoryTierOverrideStore(int maxOverrides = DefaultMaxOverrides)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxOverrides, 1);
        _maxOverrides = maxOverrides;
    }

    /// <summary>Overrides held now.</summary>
    internal int Count => _overrides.Count;

    /// <inheritdoc />
    public ValueTask<string?> GetAsync(string account, CancellationToken cancellationToken = default) =>
        new(TierOverrideRules.TryNormalize(account, out string key) && _overrides.TryGetValue(key, out string? tier) ? tier : null);

    /// <inheritdoc />
    /// <exception cref="ArgumentException">The account or tier name is not acceptable (<see cref="TierOverrideRules"/>).</exception>
    /// <exception cref="InvalidOperationException">The store is full.</exception>
    public Task SetAsync(string account, string? tierName, CancellationToken cancellationToken = default)
    {
        string key = TierOverrideRules.NormalizeAccount(account);
        TierOverrideRules.CheckTierName(tierName);
        if (tierName is null)
        {
            _overrides.TryRemove(key, out _);
            return Task.CompletedTask;
        }

        // The bound is approximate under concurrent writers (operators), which is all it needs to be.
        if (_overrides.Count >= _maxOverrides && !_overrides.ContainsKey(key))
        {
            throw new InvalidOperationException($"At most {_maxOverrides} tier overrides can be set.");
        }

        _overrides[key] = tierName;
        return Task.CompletedTask;
    }
}
