using Microsoft.Extensions.Logging;

namespace SessionGate.Verification.Blocking;

// Event ids 3100-3119: client (IP) blocking.
internal static partial class Log
{
    [LoggerMessage(EventId = 3100, EventName = "ClientBlocked", Level = LogLevel.Information,
        Message = "Client {Client} blocked for {BlockDuration} after {Failures} authentication failures within {Window}.")]
    public static partial void ClientBlocked(ILogger logger, string client, TimeSpan blockDuration, int failures, TimeSpan window);

    [LoggerMessage(EventId = 3101, EventName = "ClientUnblocked", Level = LogLevel.Information,
        Message = "Client {Client} unblocked.")]
    public static partial void ClientUnblocked(ILogger logger, string client);

    [LoggerMessage(EventId = 3102, EventName = "ClientBlockingRedisFallback", Level = LogLevel.Warning,
        Message = "Redis is unreachable: authentication failures are counted on this instance only until it answers again.")]
    public static partial void RedisFallback(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 3103, EventName = "ClientBlockingRedisRecovered", Level = LogLevel.Information,
        Message = "Redis answers again: authentication failures are counted across instances.")]
    public static partial void RedisRecovered(ILogger logger);

    [LoggerMessage(EventId = 3104, EventName = "ClientBlockMessageMalformed", Level = LogLevel.Debug,
        Message = "Ignored an unreadable client-block message.")]
    public static partial void BlockMessageMalformed(ILogger logger);

    [LoggerMessage(EventId = 3105, EventName = "ClientBlockSubscribeFailed", Level = LogLevel.Warning,
        Message = "Cannot subscribe to client-block changes on channel {Channel} yet; blocks made elsewhere are learned when the client fails here.")]
    public static partial void SubscribeFailed(ILogger logger, string channel);
}
