namespace SessionGate.Proxy.Gateway.Identity;

/// <summary>The <c>SessionGate:Proxy</c> configuration section: how the standalone gateway forwards requests.</summary>
internal sealed class GatewayProxyOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "SessionGate:Proxy";

    /// <summary>
    /// Removes the client's <c>kira_session</c> (and <c>kira-session</c>) header before forwarding, so
    /// upstreams only ever see the verified identity headers. Default false: the header is forwarded.
    /// </summary>
    public bool StripSessionHeader { get; set; }
}
