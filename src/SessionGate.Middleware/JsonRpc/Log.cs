using Microsoft.Extensions.Logging;

namespace SessionGate.AspNetCore.JsonRpc;

/// <summary>JSON-RPC metering's log events (ids 1900–1949). Never logs a body, a method name or an id.</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 1900, EventName = "JsonRpcBodyRefused", Level = LogLevel.Debug,
        Message = "JSON-RPC body refused ({Status}, {Calls} calls); not forwarded.")]
    public static partial void BodyRefused(ILogger logger, string status, int calls);

    [LoggerMessage(EventId = 1901, EventName = "JsonRpcBodyTooLarge", Level = LogLevel.Debug,
        Message = "JSON-RPC body larger than {MaxBytes} bytes refused with 413; not forwarded.")]
    public static partial void BodyTooLarge(ILogger logger, int maxBytes);

    [LoggerMessage(EventId = 1902, EventName = "JsonRpcBodyMetered", Level = LogLevel.Trace,
        Message = "JSON-RPC body of {Calls} calls charged {Cost} units.")]
    public static partial void BodyMetered(ILogger logger, int calls, int cost);
}
