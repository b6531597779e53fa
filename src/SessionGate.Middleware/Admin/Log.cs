using Microsoft.Extensions.Logging;

namespace SessionGate.AspNetCore.Admin;

internal static partial class Log
{
    [LoggerMessage(EventId = 1500, EventName = "AdminUnauthorized", Level = LogLevel.Warning,
        Message = "Refused an admin request from {Client} to {Path}: credential missing, malformed or wrong")]
    public static partial void Unauthorized(ILogger logger, string client, string? path);

    [LoggerMessage(EventId = 1501, EventName = "AdminStoreUnavailable", Level = LogLevel.Warning,
        Message = "An admin request to {Path} failed: the store is unavailable")]
    public static partial void StoreUnavailable(ILogger logger, Exception exception, string? path);

    [LoggerMessage(EventId = 1502, EventName = "AdminChange", Level = LogLevel.Information,
        Message = "Admin change: {Change}")]
    public static partial void Change(ILogger logger, string change);

    [LoggerMessage(EventId = 1503, EventName = "AdminThrottled", Level = LogLevel.Warning,
        Message = "Too many wrong admin credentials from {Client}: its admin requests are refused for {Seconds} s")]
    public static partial void Throttled(ILogger logger, string client, double seconds);
}
