using Microsoft.Extensions.Logging;

namespace SessionGate.Proxy.Gateway.Hosting;

/// <summary>The gateway host's log events (event ids 5000–5099).</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 5000, EventName = "GatewayStarting", Level = LogLevel.Information,
        Message = "SessionGate gateway {Version}: chain {ChainMode}, {Stores} stores, {RouteCount} proxy route(s), session header {StripSessionHeader}")]
    public static partial void GatewayStarting(ILogger logger, string version, string chainMode, string stores, int routeCount, string stripSessionHeader);
}
