using Microsoft.Extensions.Logging;
using SessionGate.Grants;

namespace SessionGate.AspNetCore.Grants;

internal static partial class Log
{
    [LoggerMessage(EventId = 1600, EventName = "GrantApplied", Level = LogLevel.Information, Message = "{Kind} applied for account {Account} (new key: {Created}).")]
    public static partial void Applied(ILogger logger, GrantMessageKind kind, string account, bool created);

    [LoggerMessage(EventId = 1601, EventName = "GrantStoreUnavailable", Level = LogLevel.Warning, Message = "A grant could not be applied: the key directory is unavailable.")]
    public static partial void StoreUnavailable(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 1602, EventName = "GrantChainIdUnknown", Level = LogLevel.Warning, Message = "Grants refused: the chain id is not known ({Problem}).")]
    public static partial void ChainIdUnknown(ILogger logger, string problem);
}
