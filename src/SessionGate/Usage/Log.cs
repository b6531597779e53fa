using Microsoft.Extensions.Logging;

namespace SessionGate.Usage;

// Event ids 3300-3319: usage counters; 3320-3329: quota history.
internal static partial class Log
{
    [LoggerMessage(EventId = 3300, EventName = "UsageFlushFailed", Level = LogLevel.Warning,
        Message = "Could not add {Seconds} second(s) of usage counts to Redis; retrying while they are in the window")]
    public static partial void FlushFailed(ILogger logger, Exception exception, int seconds);

    [LoggerMessage(EventId = 3320, EventName = "HistoryFlushFailed", Level = LogLevel.Warning,
        Message = "Could not add {Minutes} minute(s) of quota history to Redis; keeping them (in memory, capped) for the next flush")]
    public static partial void HistoryFlushFailed(ILogger logger, Exception exception, int minutes);
}
