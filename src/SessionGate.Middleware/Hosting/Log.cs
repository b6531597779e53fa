using Microsoft.Extensions.Logging;

namespace SessionGate.AspNetCore.Hosting;

// Event ids 1100-1399: hosting (background workers 1100, key seeding 1200, start-up 1300).
internal static partial class Log
{
    [LoggerMessage(EventId = 1100, EventName = "WorkerFailed", Level = LogLevel.Error, Message = "Background worker {Worker} failed; restarting it")]
    public static partial void WorkerFailed(ILogger logger, Exception exception, string worker);

    [LoggerMessage(EventId = 1200, EventName = "KeySeedingFailed", Level = LogLevel.Error, Message = "Could not register the configured signer keys: Redis is unavailable; retrying when it answers")]
    public static partial void SeedingFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 1201, EventName = "KeysReseeded", Level = LogLevel.Warning, Message = "Configured signer key {PublicKey} is missing from the directory (Redis lost its data?); registering the configured keys again")]
    public static partial void Reseeding(ILogger logger, string publicKey);

    [LoggerMessage(EventId = 1202, EventName = "KeyCheckFailed", Level = LogLevel.Debug, Message = "Could not check the configured signer keys; trying again shortly")]
    public static partial void CheckFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 1300, EventName = "NoRestUrl", Level = LogLevel.Warning,
        Message = "SessionGate:Chain:Mode is Tendermint but SessionGate:Chain:RestUrl is not set: balances come from SessionGate:Chain:Dev:Accounts, so every other account gets the lowest tier")]
    public static partial void NoRestUrl(ILogger logger);
}
