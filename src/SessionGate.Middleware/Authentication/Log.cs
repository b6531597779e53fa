using Microsoft.Extensions.Logging;

namespace SessionGate.AspNetCore.Authentication;

// Event ids 1000-1099: authentication. Client addresses are logged as parsed IP text (never raw client input).
internal static partial class Log
{
    [LoggerMessage(EventId = 1000, EventName = "SessionRefused", Level = LogLevel.Debug, Message = "Refused a request with {Code} on {Path}")]
    public static partial void Refused(ILogger logger, string code, string? path);

    [LoggerMessage(EventId = 1001, EventName = "ClientBlocked", Level = LogLevel.Warning, Message = "Blocked client {Client} for {Seconds} s after repeated authentication failures")]
    public static partial void ClientBlocked(ILogger logger, string client, double seconds);
}
