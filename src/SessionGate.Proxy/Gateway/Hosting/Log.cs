using Microsoft.Extensions.Logging;

namespace SessionGate.Proxy.Gateway.Hosting;

/// <summary>The gateway host's log events (event ids 5000–5099).</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 5000, EventName = "GatewayStarting", Level = LogLevel.Information,
        Message = "SessionGate gateway {Version}: chain {ChainMode}, {Stores} stores, {RouteCount} proxy route(s), session header {StripSessionHeader}")]
    public static partial void GatewayStarting(ILogger logger, string version, string chainMode, string stores, int routeCount, string stripSessionHeader);

    [LoggerMessage(EventId = 5001, EventName = "BareProxy", Level = LogLevel.Warning,
        Message = "sessiongate serve --bare-proxy: SessionGate is OFF (no authentication, no rate limiting, no identity headers); plain YARP with {RouteCount} proxy route(s), for benchmark baselines only")]
    public static partial void BareProxy(ILogger logger, int routeCount);

    [LoggerMessage(EventId = 5002, EventName = "AdminServedNowhere", Level = LogLevel.Warning,
        Message = "SessionGate:Admin:ApiKey is set but the admin API, dashboard and demo page are served on no port: set SessionGate:Admin:Urls (e.g. http://127.0.0.1:9090) to give them their own listener, or SessionGate:Admin:ServeOnPublicPort=true to serve them on the public port as before (their secrets then share an origin with every proxied page)")]
    public static partial void AdminServedNowhere(ILogger logger);

    [LoggerMessage(EventId = 5003, EventName = "OtlpExport", Level = LogLevel.Information,
        Message = "OpenTelemetry: exporting traces and metrics over OTLP to {Receiver} ({Protocol})")]
    public static partial void OtlpExport(ILogger logger, string receiver, string protocol);
}
