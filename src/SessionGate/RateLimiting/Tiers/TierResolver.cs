using System.Collections.Frozen;
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
    private readonly ILogger _logger;
    private readonly QuotaPolicy[] _policies;
    private readonly decimal[] _minBalances;
    private readonly FrozenDictionary<string, QuotaPolicy> _byName;

    /// <summary>Creates the resolver for the tier table of <paramref name="options"/>.</summary>
    /// <exception cref="ArgumentException">The tier policy is invalid (every problem listed; see <see cref="TierPolicyValidation"/>).</exception>
    public TierResolver(IBalanceSource balances, ITierOverrideStore overrides, RateLimitingOptions options, ILogger<TierResolver> logger)
    {
        ArgumentNullException.ThrowIfNull(balances);
        ArgumentNullException.ThrowIfNull(overrides);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(logger);
        IReadOnlyList<string> errors = TierPolicyValidation.Validate(options);
        if (errors.Count > 0)
        {
            throw new ArgumentException("Invalid rate limiting options: " + string.Join(" ", errors), nameof(options));
        }

        _balances = balances;
        _overrides = overrides;
        _logger = logger;
        Tiers = options.EffectiveTiers;
        _policies = [.. Tiers.Select(t => t.ToPolicy())];
        _minBalances = [.. Tiers.Select(t => t.MinBalance)];
        _byName = _policies.ToFrozenDictionary(p => p.Name, StringComparer.OrdinalIgnoreCase);
        Anonymous = (options.Anonymous ?? new AnonymousLimits()).ToPolicy();
    }

    /// <inheritdoc />
    public QuotaPolicy Anonymous { get; }

    /// <summary>The tier table in force, ordered by MinBalance (for listings such as <c>/methods</c>).</summary>
    public IReadOnlyList<TierDefinition> Tiers { get; }

    /// <summary>The lowest tier: what an account with an unknown balance gets.</summary>
    public QuotaPolicy Lowest => _policies[0];

    /// <summary>The tier named <paramref name="name"/> (ignoring case), e.g. to check an override before setting it.</summary>
    public bool TryGetTier(string name, out QuotaPolicy policy) => _byName.TryGetValue(name, out policy!);

    /// <summary>The tier of a balance (Unknown → the lowest tier).</summary>
    public QuotaPolicy ForBalance(BalanceResult balance)
    {
        if (!balance.Known)
        {
            return _policies[0];
        }

        for (int i = _minBalances.Length - 1; i > 0; i--)
        {
            if (balance.Balance >= _minBalances[i])
            {
                return _policies[i];
            }
        }

        return _policies[0];
    }

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
            Log.OverrideReadFailed(_logger, e, account);
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
            Log.OverrideReadFailed(_logger, e, account);
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
            Log.BalanceReadThrew(_logger, e, account);
            return new ValueTask<QuotaPolicy>(_policies[0]);
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
            Log.BalanceReadThrew(_logger, e, account);
            return _policies[0];
        }
    }

    private bool TryOverride(string account, string? name, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out QuotaPolicy? policy)
    {
        policy = null;
        if (name is null)
        {
            return false;
        }

        if (_byName.TryGetValue(name, out policy))
        {
            return true;
        }

        Log.OverrideNamesUnknownTier(_logger, account, name);
        return false;
    }
}
