using Microsoft.Extensions.Logging;

namespace SessionGate.Usage;

// Event ids 3300-3319: usage counters.
internal static partial class Log
{
    [LoggerMessage(EventId = 3300, EventName = "UsageFlushFailed", Level = LogLevel.Warning,
        Message = "Could not add {Seconds} second(s) of usage counts to Redis; retrying while they are in the window")]
    public static partial void FlushFailed(ILogger logger, Exception exception, int seconds);
}
