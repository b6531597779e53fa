using Microsoft.Extensions.Logging;

namespace SessionGate.Keys;

// Event ids 3040-3059: signer-key directory (seeding); 3020-3039 are Keys/Redis. Keys are shown shortened (first 8 hex digits):
// enough for an operator to find the configuration entry, never the whole key in logs.
internal static partial class Log
{
    [LoggerMessage(EventId = 3040, EventName = "SignerKeySeedRegistered", Level = LogLevel.Information,
        Message = "Seeded signer key {Key} for account {Account}: registered.")]
    public static partial void SeedRegistered(ILogger logger, string key, string account);

    [LoggerMessage(EventId = 3041, EventName = "SignerKeySeedUpdated", Level = LogLevel.Debug,
        Message = "Seeded signer key {Key} for account {Account}: already registered, expiry, use case and scopes updated.")]
    public static partial void SeedUpdated(ILogger logger, string key, string account);

    [LoggerMessage(EventId = 3042, EventName = "SignerKeySeedDisabled", Level = LogLevel.Warning,
        Message = "Seeded signer key {Key} for account {Account} is disabled and stays disabled (disabling is permanent); configure a new key instead.")]
    public static partial void SeedKeyDisabled(ILogger logger, string key, string account);

    [LoggerMessage(EventId = 3043, EventName = "SignerKeySeedOwnedByAnotherAccount", Level = LogLevel.Warning,
        Message = "Seeded signer key {Key} is configured for account {Account} but belongs to another account; left unchanged (one key, one account).")]
    public static partial void SeedOwnedByAnotherAccount(ILogger logger, string key, string account);
}
