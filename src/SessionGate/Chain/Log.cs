using Microsoft.Extensions.Logging;

namespace SessionGate.Chain;

/// <summary>
/// Source-generated log messages of the chain feature, event ids 3000–3099. Block hashes and
/// heights are public chain data; nothing secret is logged here. Messages that a client could
/// trigger at will (lookups of bogus hashes) are Debug so they cannot flood the logs.
/// </summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 3000, EventName = "ChainPollFailed", Level = LogLevel.Warning,
        Message = "Polling the chain node's status failed ({Reason}); {Failures} consecutive failure(s). Known blocks are still served.")]
    public static partial void PollFailed(ILogger logger, string reason, int failures);

    [LoggerMessage(EventId = 3001, EventName = "ChainPollRecovered", Level = LogLevel.Information,
        Message = "The chain node answers again after {Failures} failed poll(s); newest block {Height}.")]
    public static partial void PollRecovered(ILogger logger, int failures, long height);

    [LoggerMessage(EventId = 3002, EventName = "ChainNodeResponseMalformed", Level = LogLevel.Warning,
        Message = "The chain node sent a malformed {Endpoint} response ({Reason}); treated as unavailable.")]
    public static partial void ResponseMalformed(ILogger logger, string endpoint, string reason);

    [LoggerMessage(EventId = 3003, EventName = "ChainBlockLookupFailed", Level = LogLevel.Debug,
        Message = "Looking up block {Hash} on the chain node failed ({Reason}); answered unavailable.")]
    public static partial void LookupFailed(ILogger logger, string hash, string reason);

    [LoggerMessage(EventId = 3004, EventName = "ChainBlockUnknown", Level = LogLevel.Debug,
        Message = "The chain node does not know block {Hash}; negatively cached.")]
    public static partial void BlockUnknown(ILogger logger, string hash);

    [LoggerMessage(EventId = 3005, EventName = "ChainLookupLimitReached", Level = LogLevel.Debug,
        Message = "{Limit} block lookups are already in flight; block {Hash} answered unavailable without asking the node.")]
    public static partial void LookupLimitReached(ILogger logger, int limit, string hash);

    [LoggerMessage(EventId = 3006, EventName = "ChainBackfillStopped", Level = LogLevel.Debug,
        Message = "Gap filling stopped at height {Height} ({Reason}); later lookups by hash still find those blocks.")]
    public static partial void BackfillStopped(ILogger logger, long height, string reason);

    [LoggerMessage(EventId = 3007, EventName = "ChainHeadMovedBackwards", Level = LogLevel.Warning,
        Message = "The chain node reports height {Height}, below the {Previous} seen before (node switched or chain reset).")]
    public static partial void HeadMovedBackwards(ILogger logger, long height, long previous);

    [LoggerMessage(EventId = 3008, EventName = "ChainStoreReadFailed", Level = LogLevel.Debug,
        Message = "Reading blocks from Redis failed ({Reason}).")]
    public static partial void StoreReadFailed(ILogger logger, string reason);

    [LoggerMessage(EventId = 3009, EventName = "ChainStoreWriteFailed", Level = LogLevel.Warning,
        Message = "Writing block {Height} to Redis failed ({Reason}); other gateway instances will look it up themselves.")]
    public static partial void StoreWriteFailed(ILogger logger, long height, string reason);

    [LoggerMessage(EventId = 3010, EventName = "ChainStoredValueMalformed", Level = LogLevel.Warning,
        Message = "Redis key {Key} holds a value that is not a block record; ignored.")]
    public static partial void StoredValueMalformed(ILogger logger, string key);

    [LoggerMessage(EventId = 3011, EventName = "DevChainBlockProduced", Level = LogLevel.Debug,
        Message = "Dev chain {ChainId} produced block {Height} ({Hash}).")]
    public static partial void DevBlockProduced(ILogger logger, string chainId, long height, string hash);

    [LoggerMessage(EventId = 3012, EventName = "ChainWorkerFaulted", Level = LogLevel.Error,
        Message = "The {Worker} loop hit an unexpected error; it keeps running.")]
    public static partial void WorkerFaulted(ILogger logger, Exception exception, string worker);

    // Both ids are checked chain ids (TendermintJson.IsChainId), never raw node text.
    [LoggerMessage(EventId = 3013, EventName = "ChainIdMismatch", Level = LogLevel.Error,
        Message = "The chain node reports network {Reported}, not {Expected} ({Source}); its blocks are refused, grants answer chain_unavailable and /readyz is not ready until it reports the expected network again.")]
    public static partial void ChainIdMismatch(ILogger logger, string expected, string reported, string source);

    [LoggerMessage(EventId = 3014, EventName = "ChainIdMatchesAgain", Level = LogLevel.Information,
        Message = "The chain node reports network {ChainId} again; following it.")]
    public static partial void ChainIdMatchesAgain(ILogger logger, string chainId);
}
