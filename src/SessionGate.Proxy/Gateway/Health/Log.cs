using Microsoft.Extensions.Logging;

namespace SessionGate.Proxy.Gateway.Health;

internal static partial class Log
{
    [LoggerMessage(EventId = 5010, EventName = "ReadinessRedisUnreachable", Level = LogLevel.Warning,
        Message = "Readiness check: Redis is unreachable ({Reason})")]
    public static partial void RedisUnhealthy(ILogger logger, string reason);
}
