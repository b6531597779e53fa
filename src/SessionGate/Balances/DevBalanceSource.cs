using System.Collections.Frozen;
using SessionGate.Chain;

namespace SessionGate.Balances;

/// <summary>
/// Balances from configuration (<see cref="DevChainOptions.Accounts"/>, whole tokens), for the dev
/// chain and for gateways without a <see cref="ChainOptions.RestUrl"/>. Accounts not listed have 0.
/// Answers synchronously and never changes, so it needs no cache in front of it. Accounts match
/// case-insensitively (bech32 is); if one is listed twice (start-up validation refuses that), the last wins.
/// </summary>
internal sealed class DevBalanceSource : IBalanceSource
{
    private readonly FrozenDictionary<string, decimal> _balances;
    private readonly TimeProvider _timeProvider;

    /// <summary>Creates the source from <see cref="ChainOptions.Dev"/>.<see cref="DevChainOptions.Accounts"/>.</summary>
    public DevBalanceSource(ChainOptions options, TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(timeProvider);
        var balances = new Dictionary<string, decimal>(StringComparer.OrdinalIgnoreCase);
        foreach (DevAccountBalance? entry in options.Dev?.Accounts ?? [])
        {
            if (entry is not null && !string.IsNullOrEmpty(entry.Account))
            {
                balances[entry.Account] = Math.Max(0m, entry.Balance);
            }
        }

        _balances = balances.ToFrozenDictionary(StringComparer.OrdinalIgnoreCase);
        _timeProvider = timeProvider;
    }

    /// <inheritdoc />
    public ValueTask<BalanceResult> GetBalanceAsync(string account, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(account);
        decimal balance = _balances.GetValueOrDefault(account);
        return new ValueTask<BalanceResult>(new BalanceResult(true, balance, _timeProvider.GetUtcNow()));
    }
}
