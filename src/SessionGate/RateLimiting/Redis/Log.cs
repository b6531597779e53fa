using Microsoft.Extensions.Logging;

namespace SessionGate.RateLimiting.Redis;

// Event ids 4000-4009: the Redis rate limiter and its circuit breaker; 4010-4029: leased permits. Partitions (accounts, client
// addresses) are never logged here: a switch concerns every caller, not one.
internal static partial class Log
{
    [LoggerMessage(EventId = 4000, EventName = "RateLimiterRedisUnavailable", Level = LogLevel.Warning,
        Message = "Rate limiting cannot use Redis ({Reason}); deciding with failure mode {Mode} and trying Redis again in {RetryInterval}.")]
    public static partial void SwitchedToFallback(ILogger logger, string reason, RedisFailureMode mode, TimeSpan retryInterval);

    [LoggerMessage(EventId = 4001, EventName = "RateLimiterRedisRecovered", Level = LogLevel.Information,
        Message = "Redis answers again: rate limits are shared by every instance again after {Duration} with failure mode {Mode}.")]
    public static partial void SwitchedToRedis(ILogger logger, TimeSpan duration, RedisFailureMode mode);

    [LoggerMessage(EventId = 4002, EventName = "RateLimiterRedisProbeFailed", Level = LogLevel.Debug,
        Message = "Redis is still unavailable for rate limiting ({Reason}); next try in {RetryInterval}.")]
    public static partial void ProbeFailed(ILogger logger, string reason, TimeSpan retryInterval);

    [LoggerMessage(EventId = 4003, EventName = "RateLimiterScriptLoaded", Level = LogLevel.Debug,
        Message = "Redis did not know the rate-limit script (first use, restart or SCRIPT FLUSH); sent it once.")]
    public static partial void ScriptLoaded(ILogger logger);

    // 4010-4029: leased permits (PermitLeases). Debug only: one per lease, never per spend.
    [LoggerMessage(EventId = 4010, EventName = "RateLimiterBlockLeased", Level = LogLevel.Debug,
        Message = "Leased a block of {Units} permits from Redis (gave {Returned} unspent units of the previous block back).")]
    public static partial void BlockLeased(ILogger logger, long units, long returned);
}
