namespace SessionGate.JsonRpc;

/// <summary>
/// What each JSON-RPC method costs on a route and whether the route lets it through (KIP_9's
/// per-endpoint whitelist / blacklist, applied to methods): the configured cost table
/// (<c>SessionGate:JsonRpc:Methods</c>, exact names and <c>prefix*</c> entries) over a default cost,
/// a list of disabled patterns and an optional list of the only allowed ones. Immutable; one per route.
/// </summary>
internal sealed class JsonRpcMethodTable
{
    /// <summary>Largest cost of one method (the same bound as a route's <c>SessionGate.Cost</c>).</summary>
    public const int MaxCost = 1_000_000;

    private readonly JsonRpcPatternMap<int> _costs;
    private readonly JsonRpcPatternMap<bool> _disabled;
    private readonly JsonRpcPatternMap<bool>? _allowed;

    /// <param name="defaultCost">Cost of a method no entry matches, 1 to <see cref="MaxCost"/>.</param>
    /// <param name="costs">Pattern → cost (validated by <see cref="JsonRpcOptions.Validate"/>).</param>
    /// <param name="disabled">Patterns of methods refused with -32601.</param>
    /// <param name="allowed">When not null, the only patterns let through (every other method is refused).</param>
    public JsonRpcMethodTable(int defaultCost, IEnumerable<KeyValuePair<string, int>> costs, IEnumerable<string> disabled, IEnumerable<string>? allowed)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(defaultCost, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(defaultCost, MaxCost);
        DefaultCost = defaultCost;
        _costs = new JsonRpcPatternMap<int>(costs);
        _disabled = new JsonRpcPatternMap<bool>(disabled.Select(p => KeyValuePair.Create(p, true)));
        _allowed = allowed is null ? null : new JsonRpcPatternMap<bool>(allowed.Select(p => KeyValuePair.Create(p, true)));
    }

    /// <summary>Cost of a method no entry matches.</summary>
    public int DefaultCost { get; }

    /// <summary>The cost entries, ordered by pattern.</summary>
    public IReadOnlyList<KeyValuePair<string, int>> Costs => _costs.Entries;

    /// <summary>The disabled patterns, ordered.</summary>
    public IEnumerable<string> Disabled => _disabled.Entries.Select(e => e.Key);

    /// <summary>The only allowed patterns, ordered, or null when every method not disabled is allowed.</summary>
    public IEnumerable<string>? Allowed => _allowed?.Entries.Select(e => e.Key);

    /// <summary>
    /// The name the quota history counts methods priced at <see cref="DefaultCost"/> under: the
    /// wildcard pattern, which is what prices them.
    /// </summary>
    public const string DefaultCostHistoryName = "*";

    /// <summary>Decides one method: its cost and whether this route lets it through.</summary>
    public JsonRpcMethodRule Lookup(ReadOnlySpan<char> method) => Lookup(method, out _);

    /// <summary>
    /// Decides one method, and names the cost entry that priced it for the quota history's method top
    /// list: the exact name or <c>prefix*</c> pattern as configured, or
    /// <see cref="DefaultCostHistoryName"/>. The name is a string this table owns, so the list is
    /// bounded by configuration whatever method names clients send, and a lookup allocates nothing.
    /// </summary>
    public JsonRpcMethodRule Lookup(ReadOnlySpan<char> method, out string historyName)
    {
        bool allowed = !_disabled.TryMatch(method, out _, out _) && (_allowed is null || _allowed.TryMatch(method, out _, out _));
        if (_costs.TryMatch(method, out int cost, out string pattern))
        {
            historyName = pattern;
            return new JsonRpcMethodRule(cost, allowed);
        }

        historyName = DefaultCostHistoryName;
        return new JsonRpcMethodRule(DefaultCost, allowed);
    }

    /// <summary>
    /// This table with a route's own settings on top: its cost entries replace the entries of the same
    /// pattern, its disabled patterns add to these, and its allowed list (when set) replaces this one.
    /// </summary>
    public JsonRpcMethodTable With(IReadOnlyDictionary<string, int>? costs, IEnumerable<string>? disabled, IEnumerable<string>? allowed)
    {
        var merged = new Dictionary<string, int>(_costs.Entries, StringComparer.Ordinal);
        foreach ((string pattern, int cost) in costs ?? new Dictionary<string, int>())
        {
            merged[pattern] = cost;
        }

        return new JsonRpcMethodTable(DefaultCost, merged, Disabled.Concat(disabled ?? []).Distinct(StringComparer.Ordinal), allowed ?? Allowed);
    }
}

/// <summary>One method's cost on a route, and whether the route lets it through.</summary>
internal readonly record struct JsonRpcMethodRule(int Cost, bool Allowed);
