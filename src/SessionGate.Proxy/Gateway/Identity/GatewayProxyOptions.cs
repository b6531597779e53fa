namespace SessionGate.Proxy.Gateway.Identity;

/// <summary>The <c>SessionGate:Proxy</c> configuration section: how the standalone gateway forwards requests.</summary>
internal sealed class GatewayProxyOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "SessionGate:Proxy";

    /// <summary>
    /// Client-sent headers removed before forwarding when <see cref="StripRequestHeaders"/> is not set:
    /// the ones frameworks and servers read to change a request's method, path or client address. A
    /// key scoped to <c>GET /api/</c> must not become a <c>DELETE</c> or another path upstream, and the
    /// upstream must not trust an address the client made up.
    /// </summary>
    public static readonly IReadOnlyList<string> DefaultStripRequestHeaders =
    [
        "X-HTTP-Method-Override", "X-HTTP-Method", "X-Method-Override",
        "X-Original-URL", "X-Rewrite-URL",
        "X-Real-IP",
    ];

    /// <summary>
    /// Removes the client's <c>kira_session</c> (and <c>kira-session</c>) header before forwarding, so
    /// upstreams only ever see the verified identity headers. Default true: the header is a bearer
    /// token for up to five minutes, and an upstream (or its logs) has no use for it. Set false only
    /// for an upstream that verifies the header itself.
    /// </summary>
    public bool StripSessionHeader { get; set; } = true;

    /// <summary>
    /// Client-sent headers removed before forwarding (names compared ignoring case, <c>_</c> read as
    /// <c>-</c>). Absent: <see cref="DefaultStripRequestHeaders"/>. A list replaces the default; empty
    /// entries are ignored, so a single empty entry strips nothing.
    /// </summary>
    public List<string>? StripRequestHeaders { get; set; }

    /// <summary>The header names stripped, normalized (<see cref="IdentityHeaders.Normalize"/>).</summary>
    public IReadOnlyList<string> EffectiveStripRequestHeaders =>
        (StripRequestHeaders ?? [.. DefaultStripRequestHeaders])
            .Where(name => !string.IsNullOrWhiteSpace(name))
            .Select(name => IdentityHeaders.Normalize(name.Trim()))
            .Distinct(StringComparer.Ordinal)
            .ToArray();
}
