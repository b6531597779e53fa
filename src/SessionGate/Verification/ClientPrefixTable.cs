using System.Net;

namespace SessionGate.Verification;

/// <summary>
/// The <see cref="ClientBlockingOptions.Prefixes"/> ranges, parsed once: which blocking threshold and
/// verification budget apply to a client. Clients are the gateway's client keys (an IPv4 address or an
/// IPv6 network address such as <c>2001:db8:1:2::</c>); a key that is no address (<c>unknown</c>) gets the defaults.
/// </summary>
public sealed class ClientPrefixTable
{
    private readonly Rule[] _rules;
    private readonly int _defaultThreshold;
    private readonly int _defaultBudget;

    /// <summary>Builds the table; throws <see cref="ArgumentException"/> listing every invalid range.</summary>
    public ClientPrefixTable(ClientBlockingOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        IReadOnlyList<string> errors = Validate(options);
        if (errors.Count > 0)
        {
            throw new ArgumentException("Invalid client prefixes: " + string.Join(" ", errors), nameof(options));
        }

        _defaultThreshold = options.FailureThreshold;
        _defaultBudget = options.VerificationsPerMinute;
        _rules = [.. options.Prefixes.Select(p =>
        {
            TryParseStrict(p.Cidr, out IPNetwork network);
            return new Rule(network, p.FailureThreshold ?? options.FailureThreshold, p.VerificationsPerMinute ?? options.VerificationsPerMinute);
        })];
    }

    /// <summary>True when no range overrides the defaults (the common case: no address is parsed).</summary>
    public bool IsEmpty => _rules.Length == 0;

    /// <summary>Problems with the ranges and budgets, each naming its key (empty when valid).</summary>
    public static IReadOnlyList<string> Validate(ClientBlockingOptions options, string section = "SessionGate:ClientBlocking")
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = new List<string>();
        if (options.VerificationsPerMinute < 0)
        {
            errors.Add($"{section}:VerificationsPerMinute must be 0 (off) or more.");
        }

        for (int i = 0; i < options.Prefixes.Count; i++)
        {
            ClientPrefixOptions prefix = options.Prefixes[i];
            if (!TryParseStrict(prefix.Cidr, out _))
            {
                errors.Add($"{section}:Prefixes:{i}:Cidr must be an address range in CIDR notation with no host bits set (e.g. 10.0.0.0/8, 2001:db8::/32).");
            }

            if (prefix.FailureThreshold is < 1)
            {
                errors.Add($"{section}:Prefixes:{i}:FailureThreshold must be at least 1.");
            }

            if (prefix.VerificationsPerMinute is < 0)
            {
                errors.Add($"{section}:Prefixes:{i}:VerificationsPerMinute must be 0 (off) or more.");
            }
        }

        return errors;
    }

    // A range whose address has host bits set (10.0.0.1/8) is refused rather than silently widened:
    // it is most likely a typo for a narrower range.
    private static bool TryParseStrict(string? cidr, out IPNetwork network)
    {
        network = default;
        int slash = cidr?.IndexOf('/', StringComparison.Ordinal) ?? -1;
        return slash > 0
            && IPNetwork.TryParse(cidr, out network)
            && IPAddress.TryParse(cidr.AsSpan(0, slash), out IPAddress? address)
            && address.Equals(network.BaseAddress);
    }

    /// <summary>Failures within the window that block <paramref name="client"/>.</summary>
    public int FailureThresholdOf(string client) => Find(client)?.FailureThreshold ?? _defaultThreshold;

    /// <summary>First-seen signature checks per minute allowed to <paramref name="client"/>; 0: unlimited.</summary>
    public int VerificationsPerMinuteOf(string client) => Find(client)?.VerificationsPerMinute ?? _defaultBudget;

    private Rule? Find(string client)
    {
        if (_rules.Length == 0 || !IPAddress.TryParse(client, out IPAddress? address))
        {
            return null;
        }

        foreach (Rule rule in _rules)
        {
            if (rule.Network.Contains(address))
            {
                return rule;
            }
        }

        return null;
    }

    private sealed record Rule(IPNetwork Network, int FailureThreshold, int VerificationsPerMinute);
}
