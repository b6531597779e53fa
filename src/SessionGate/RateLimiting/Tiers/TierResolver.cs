using Microsoft.Extensions.Logging;
using SessionGate.Balances;

namespace SessionGate.RateLimiting.Tiers;

/// <summary>
/// Resolves an account's limits in this order:
/// <list type="number">
/// <item>its override (<see cref="ITierOverrideStore"/>), when set and naming a tier of the table
/// (names compared ignoring case; an override naming a removed tier is ignored);</item>
/// <item>else, the balance known: the tier with the highest MinBalance the balance reaches
/// (<see cref="RateLimitingOptions.EffectiveTiers"/>); a balance below every MinBalance gets the lowest tier;</item>
/// <item>else (balance Unknown: chain unreachable past the staleness window): the lowest tier — never unlimited.</item>
/// </list>
/// Neither lookup may fail a request: an override store or balance source that throws (Redis or
/// chain trouble) counts as "no override" / "balance unknown". When both answer synchronously
/// (cached), so does this, without allocating.
/// </summary>
internal sealed class TierResolver : ITierResolver
{
    private readonly IBalanceSource _balances;
    private readonly ITierOverrideStore _overrides;
    private readonly TierCatalog _catalog;
    private readonly ILogger _logger;

    /// <summary>Creates the resolver for the tier table of <paramref name="catalog"/>.</summary>
    public TierResolver(IBalanceSource balances, ITierOverrideStore overrides, TierCatalog catalog, ILogger<TierResolver> logger)
    {
        ArgumentNullException.ThrowIfNull(balances);
        ArgumentNullException.ThrowIfNull(overrides);
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(logger);
        _balances = balances;
        _overrides = overrides;
        _catalog = catalog;
        _logger = logger;
    }

    /// <summary>Creates the resolver for the tier table of <paramref name="options"/>.</summary>
    /// <exception cref="ArgumentException">The tier policy is invalid (every problem listed; see <see cref="TierPolicyValidation"/>).</exception>
    public TierResolver(IBalanceSource balances, ITierOverrideStore overrides, RateLimitingOptions options, ILogger<TierResolver> logger)
        : this(balances, overrides, new TierCatalog(options), logger)
    {
    }

    /// <inheritdoc />
    public QuotaPolicy Anonymous => _catalog.Anonymous;

    /// <summary>The tier table in force, ordered by MinBalance.</summary>
    public IReadOnlyList<TierDefinition> Tiers => _catalog.Tiers;

    /// <summary>The lowest tier: what an account with an unknown balance gets.</summary>
    public QuotaPolicy Lowest => _catalog.Lowest;

    /// <summary>The tier named <paramref name="name"/> (ignoring case).</summary>
    public bool TryGetTier(string name, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out QuotaPolicy? policy) => _catalog.TryGetTier(name, out policy);

    /// <summary>The tier of a balance (Unknown → the lowest tier).</summary>
    public QuotaPolicy ForBalance(BalanceResult balance) => _catalog.ForBalance(balance);

    /// <inheritdoc />
    public ValueTask<QuotaPolicy> ResolveAsync(string account, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(account);
        ValueTask<string?> pending;
        try
        {
            pending = _overrides.GetAsync(account, cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            Log.OverrideReadFailed(_logger, e, Diagnostics.LogValue.Escape(account));
            return ResolveByBalance(account, cancellationToken);
        }

        if (!pending.IsCompletedSuccessfully)
        {
            return ResolveWithPendingOverrideAsync(pending, account, cancellationToken);
        }

        return TryOverride(account, pending.Result, out QuotaPolicy? policy)
            ? new ValueTask<QuotaPolicy>(policy)
            : ResolveByBalance(account, cancellationToken);
    }

    private async ValueTask<QuotaPolicy> ResolveWithPendingOverrideAsync(ValueTask<string?> pending, string account, CancellationToken cancellationToken)
    {
        string? name;
        try
        {
            name = await pending.ConfigureAwait(false);
        }
        catch (Exception e) when (!(e is OperationCanceledException && cancellationToken.IsCancellationRequested))
        {
            Log.OverrideReadFailed(_logger, e, Diagnostics.LogValue.Escape(account));
            name = null;
        }

        return TryOverride(account, name, out QuotaPolicy? policy)
            ? policy
            : await ResolveByBalance(account, cancellationToken).ConfigureAwait(false);
    }

    private ValueTask<QuotaPolicy> ResolveByBalance(string account, CancellationToken cancellationToken)
    {
        ValueTask<BalanceResult> pending;
        try
        {
            pending = _balances.GetBalanceAsync(account, cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            Log.BalanceReadThrew(_logger, e, Diagnostics.LogValue.Escape(account));
            return new ValueTask<QuotaPolicy>(_catalog.Lowest);
        }

        return pending.IsCompletedSuccessfully
            ? new ValueTask<QuotaPolicy>(ForBalance(pending.Result))
            : ResolveWithPendingBalanceAsync(pending, account, cancellationToken);
    }

    private async ValueTask<QuotaPolicy> ResolveWithPendingBalanceAsync(ValueTask<BalanceResult> pending, string account, CancellationToken cancellationToken)
    {
        try
        {
            return ForBalance(await pending.ConfigureAwait(false));
        }
        catch (Exception e) when (!(e is OperationCanceledException && cancellationToken.IsCancellationRequested))
        {
            Log.BalanceReadThrew(_logger, e, Diagnostics.LogValue.Escape(account));
            return _catalog.Lowest;
        }
    }

    private bool TryOverride(string account, string? name, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out QuotaPolicy? policy)
    {
        policy = null;
        if (name is null)
        {
            return false;
        }

        if (_catalog.TryGetTier(name, out policy))
        {
            return true;
        }

        Log.OverrideNamesUnknownTier(_logger, Diagnostics.LogValue.Escape(account), Diagnostics.LogValue.Escape(name));
        return false;
    }
}
