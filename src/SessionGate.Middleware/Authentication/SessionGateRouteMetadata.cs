using System.Globalization;

namespace SessionGate.AspNetCore.Authentication;

/// <summary>
/// SessionGate's per-route settings as endpoint metadata (KIP_9 / KIP_9.2): whether a session is
/// required, whether the route is enabled, its cost in "hit points", and whether its rate limiting is
/// in shadow mode. Null leaves the default
/// (session optional, enabled, cost 1). YARP routes get it from their <c>Metadata</c> dictionary
/// (<see cref="TryParse"/>); in-process endpoints from conventions such as <c>.RequireSession()</c>.
/// </summary>
public sealed record SessionGateRouteMetadata
{
    /// <summary>YARP route metadata key: "true" requires a session.</summary>
    public const string RequireSessionKey = "SessionGate.RequireSession";

    /// <summary>YARP route metadata key: "false" disables the route (403 route_disabled).</summary>
    public const string EnabledKey = "SessionGate.Enabled";

    /// <summary>YARP route metadata key: the cost of one call, a positive integer.</summary>
    public const string CostKey = "SessionGate.Cost";

    /// <summary>YARP route metadata key: "true" puts the route's rate limiting in shadow mode (decide and count, never refuse).</summary>
    public const string ShadowKey = "SessionGate.Shadow";

    /// <summary>Largest accepted cost of one call.</summary>
    public const int MaxCost = 1_000_000;

    /// <summary>True when a session is required; null for the default (optional).</summary>
    public bool? RequireSession { get; init; }

    /// <summary>False when the route is switched off; null for the default (enabled).</summary>
    public bool? Enabled { get; init; }

    /// <summary>Cost of one call; null for the default (1).</summary>
    public int? Cost { get; init; }

    /// <summary>True when the route's rate limiting is in shadow mode; null for the default (enforced, unless the tier or the gateway is in shadow mode).</summary>
    public bool? Shadow { get; init; }

    /// <summary>
    /// Reads the <c>SessionGate.*</c> keys of a route's metadata. Returns false with one message per
    /// bad value (naming the key) so configuration errors are reported at start-up.
    /// </summary>
    public static bool TryParse(IReadOnlyDictionary<string, string>? metadata, out SessionGateRouteMetadata? settings, out IReadOnlyList<string> errors)
    {
        var problems = new List<string>();
        settings = null;
        if (metadata is null)
        {
            errors = problems;
            return true;
        }

        bool? requireSession = ParseBool(metadata, RequireSessionKey, problems);
        bool? enabled = ParseBool(metadata, EnabledKey, problems);
        bool? shadow = ParseBool(metadata, ShadowKey, problems);
        int? cost = null;
        if (metadata.TryGetValue(CostKey, out string? costText))
        {
            if (int.TryParse(costText, NumberStyles.None, CultureInfo.InvariantCulture, out int parsed) && parsed is >= 1 and <= MaxCost)
            {
                cost = parsed;
            }
            else
            {
                problems.Add($"{CostKey} must be an integer from 1 to {MaxCost}, not \"{costText}\".");
            }
        }

        errors = problems;
        if (requireSession is not null || enabled is not null || cost is not null || shadow is not null)
        {
            settings = new SessionGateRouteMetadata { RequireSession = requireSession, Enabled = enabled, Cost = cost, Shadow = shadow };
        }

        return problems.Count == 0;
    }

    private static bool? ParseBool(IReadOnlyDictionary<string, string> metadata, string key, List<string> problems)
    {
        if (!metadata.TryGetValue(key, out string? text))
        {
            return null;
        }

        if (bool.TryParse(text, out bool value))
        {
            return value;
        }

        problems.Add($"{key} must be \"true\" or \"false\", not \"{text}\".");
        return null;
    }
}
