using Microsoft.Extensions.Logging;

namespace SessionGate.Storage.Redis;

// Event ids 5300-5319: Redis helpers shared by the stores (5300: the hash-increment script).
internal static partial class Log
{
    [LoggerMessage(EventId = 5300, EventName = "HashIncrementScriptLoaded", Level = LogLevel.Debug,
        Message = "Redis did not know the hash-increment script of the usage flushes (NOSCRIPT); sent its text once")]
    public static partial void IncrementScriptLoaded(ILogger logger);
}
