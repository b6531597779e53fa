using Microsoft.Extensions.Logging;

namespace SessionGate.Keys.Redis;

// Event ids 3020-3039: Redis signer-key directory.
internal static partial class Log
{
    [LoggerMessage(EventId = 3020, EventName = "SignerKeyRecordCorrupt", Level = LogLevel.Error,
        Message = "The Redis record of signer key {Key} is missing fields or malformed; the key is treated as unknown.")]
    public static partial void CorruptRecord(ILogger logger, string key);

    [LoggerMessage(EventId = 3021, EventName = "SignerKeyChangeMessageMalformed", Level = LogLevel.Warning,
        Message = "Unreadable signer-key change message; the local key cache was cleared.")]
    public static partial void ChangeMessageMalformed(ILogger logger);

    [LoggerMessage(EventId = 3022, EventName = "SignerKeyCacheCleared", Level = LogLevel.Debug,
        Message = "Signer-key change counter moved from {Previous} to {Current} without matching notifications; the local key cache was cleared.")]
    public static partial void CacheCleared(ILogger logger, long previous, long current);

    [LoggerMessage(EventId = 3023, EventName = "SignerKeyPollFailed", Level = LogLevel.Warning,
        Message = "Cannot read the signer-key change counter from Redis; cached keys are served as they are until Redis answers again.")]
    public static partial void PollFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 3024, EventName = "SignerKeyPollRecovered", Level = LogLevel.Information,
        Message = "The signer-key change counter is readable again.")]
    public static partial void PollRecovered(ILogger logger);

    [LoggerMessage(EventId = 3025, EventName = "SignerKeySubscribeFailed", Level = LogLevel.Warning,
        Message = "Cannot subscribe to signer-key changes on channel {Channel} yet; changes are picked up by polling until it succeeds.")]
    public static partial void SubscribeFailed(ILogger logger, string channel);
}
