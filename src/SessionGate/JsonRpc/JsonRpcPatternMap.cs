namespace SessionGate.JsonRpc;

/// <summary>
/// Method patterns (<see cref="JsonRpcMethodPattern"/>) mapped to values, looked up by a method name
/// held in a span (the parser never allocates a string for a method): an exact entry wins, then the
/// longest matching prefix. Immutable once built; patterns are validated by the options.
/// </summary>
internal sealed class JsonRpcPatternMap<TValue>
{
    private readonly Dictionary<string, TValue> _exact;
    private readonly Dictionary<string, TValue>.AlternateLookup<ReadOnlySpan<char>> _exactBySpan;

    // Longest prefix first, so the first match is the most specific one.
    private readonly (string Prefix, string Pattern, TValue Value)[] _prefixes;

    public JsonRpcPatternMap(IEnumerable<KeyValuePair<string, TValue>> entries)
    {
        ArgumentNullException.ThrowIfNull(entries);
        _exact = new Dictionary<string, TValue>(StringComparer.Ordinal);
        var prefixes = new Dictionary<string, TValue>(StringComparer.Ordinal);
        foreach ((string pattern, TValue value) in entries)
        {
            if (JsonRpcMethodPattern.IsPrefix(pattern))
            {
                prefixes[pattern] = value;
            }
            else
            {
                _exact[pattern] = value;
            }
        }

        _exactBySpan = _exact.GetAlternateLookup<ReadOnlySpan<char>>();
        _prefixes = [.. prefixes
            .Select(p => (Prefix: p.Key[..^1], Pattern: p.Key, p.Value))
            .OrderByDescending(p => p.Prefix.Length)
            .ThenBy(p => p.Prefix, StringComparer.Ordinal)];
        Entries = [.. _exact.Concat(prefixes).OrderBy(p => p.Key, StringComparer.Ordinal)];
    }

    /// <summary>Every entry, ordered by pattern (for <c>GET /methods</c>).</summary>
    public IReadOnlyList<KeyValuePair<string, TValue>> Entries { get; }

    /// <summary>True when the map has no entry.</summary>
    public bool IsEmpty => Entries.Count == 0;

    /// <summary>The value of the most specific pattern matching <paramref name="method"/>, and that pattern.</summary>
    public bool TryMatch(ReadOnlySpan<char> method, out TValue value, out string pattern)
    {
        if (_exactBySpan.TryGetValue(method, out string? key, out value!))
        {
            pattern = key;
            return true;
        }

        foreach ((string prefix, string prefixPattern, TValue prefixValue) in _prefixes)
        {
            if (method.StartsWith(prefix, StringComparison.Ordinal))
            {
                value = prefixValue;
                pattern = prefixPattern;
                return true;
            }
        }

        value = default!;
        pattern = "";
        return false;
    }
}
