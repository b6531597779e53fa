using SessionGate.Keys;

namespace SessionGate.Verification;

/// <summary>Scoped authority (Argent/Biconomy-style): does a key's scope list cover a request?</summary>
public static class ScopeCheck
{
    /// <summary>
    /// True when <paramref name="scopes"/> is empty (an unscoped key) or one scope's path prefix covers
    /// <paramref name="path"/> and its methods (if any) include <paramref name="method"/>. A prefix
    /// ending in '/' matches everything below it; otherwise it matches the exact path and everything
    /// below <c>prefix + "/"</c>, so <c>/api</c> covers <c>/api/x</c> but not <c>/apix</c>.
    /// </summary>
    public static bool Allows(IReadOnlyList<KeyScope> scopes, string path, string method) => Allows(scopes, path, method, cost: 1);

    /// <summary>
    /// As <see cref="Allows(IReadOnlyList{KeyScope}, string, string)"/>, for a route whose one call costs
    /// <paramref name="cost"/> units: a scope with a <see cref="KeyScope.MaxCost"/> covers only routes
    /// costing at most that much.
    /// </summary>
    public static bool Allows(IReadOnlyList<KeyScope> scopes, string path, string method, long cost)
    {
        if (scopes.Count == 0)
        {
            return true;
        }

        foreach (KeyScope scope in scopes)
        {
            if (PathMatches(scope.Path, path) && MethodMatches(scope.Methods, method) && (scope.MaxCost is not { } max || cost <= max))
            {
                return true;
            }
        }

        return false;
    }

    private static bool PathMatches(string prefix, string path)
    {
        if (!path.StartsWith(prefix, StringComparison.Ordinal))
        {
            return false;
        }

        return prefix.EndsWith('/') || path.Length == prefix.Length || path[prefix.Length] == '/';
    }

    private static bool MethodMatches(IReadOnlyList<string> methods, string method)
    {
        if (methods.Count == 0)
        {
            return true;
        }

        foreach (string allowed in methods)
        {
            if (string.Equals(allowed, method, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }
}
