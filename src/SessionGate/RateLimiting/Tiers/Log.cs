using Microsoft.Extensions.Logging;

namespace SessionGate.RateLimiting.Tiers;

/// <summary>
/// Source-generated log messages of tier resolution and tier overrides, event ids 3220–3239.
/// Messages a request can trigger are Debug so they cannot flood the logs.
/// </summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 3220, EventName = "TierOverrideNamesUnknownTier", Level = LogLevel.Debug,
        Message = "{Account} has the tier override \"{Tier}\", which is not in the tier table; its balance tier applies.")]
    public static partial void OverrideNamesUnknownTier(ILogger logger, string account, string tier);

    [LoggerMessage(EventId = 3221, EventName = "TierOverrideReadFailed", Level = LogLevel.Debug,
        Message = "Reading the tier override of {Account} failed; its balance tier applies.")]
    public static partial void OverrideReadFailed(ILogger logger, Exception exception, string account);

    [LoggerMessage(EventId = 3222, EventName = "TierBalanceReadThrew", Level = LogLevel.Error,
        Message = "The balance source threw for {Account}; the lowest tier applies.")]
    public static partial void BalanceReadThrew(ILogger logger, Exception exception, string account);

    [LoggerMessage(EventId = 3223, EventName = "TierOverridePollFailed", Level = LogLevel.Warning,
        Message = "Cannot read tier overrides from Redis ({Reason}); the overrides loaded before are used until Redis answers again.")]
    public static partial void PollFailed(ILogger logger, string reason);

    [LoggerMessage(EventId = 3224, EventName = "TierOverridePollRecovered", Level = LogLevel.Information,
        Message = "Tier overrides are readable from Redis again.")]
    public static partial void PollRecovered(ILogger logger);

    [LoggerMessage(EventId = 3225, EventName = "TierOverrideSubscribeFailed", Level = LogLevel.Warning,
        Message = "Cannot subscribe to tier override changes on channel {Channel} yet; changes are picked up by polling until it succeeds.")]
    public static partial void SubscribeFailed(ILogger logger, string channel);

    [LoggerMessage(EventId = 3226, EventName = "TierOverridesLoaded", Level = LogLevel.Debug,
        Message = "Loaded {Count} tier override(s) from Redis at change {Generation}.")]
    public static partial void Loaded(ILogger logger, int count, long generation);

    [LoggerMessage(EventId = 3227, EventName = "TierOverrideMessageMalformed", Level = LogLevel.Warning,
        Message = "Unreadable tier override change message; all overrides are read again.")]
    public static partial void MessageMalformed(ILogger logger);
}
