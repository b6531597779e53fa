using Microsoft.Extensions.Logging;

namespace SessionGate.Balances;

/// <summary>
/// Source-generated log messages of the balances feature, event ids 3200–3219. Accounts are public
/// chain addresses; per-account messages are Debug so a flood of accounts cannot flood the logs.
/// </summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 3200, EventName = "BalanceQueriesFailing", Level = LogLevel.Warning,
        Message = "Reading balances from the chain REST endpoint fails ({Reason}); last known balances are used up to the staleness limit, then the lowest tier applies.")]
    public static partial void QueriesFailing(ILogger logger, string reason);

    [LoggerMessage(EventId = 3201, EventName = "BalanceQueryFailed", Level = LogLevel.Debug,
        Message = "Reading the balance of {Account} failed ({Reason}).")]
    public static partial void QueryFailed(ILogger logger, string account, string reason);

    [LoggerMessage(EventId = 3202, EventName = "BalanceQueriesRecovered", Level = LogLevel.Information,
        Message = "The chain REST endpoint answers balance queries again after {Failures} failure(s).")]
    public static partial void QueriesRecovered(ILogger logger, int failures);

    [LoggerMessage(EventId = 3203, EventName = "BalanceAddressRefused", Level = LogLevel.Debug,
        Message = "The chain refused {Account} as an address (HTTP 400) or it is not one; its balance is 0.")]
    public static partial void AddressRefused(ILogger logger, string account);

    [LoggerMessage(EventId = 3204, EventName = "BalancePageLimitReached", Level = LogLevel.Warning,
        Message = "{Account} holds more than {Pages} pages of denominations and {Denom} was not among them; its balance is unknown.")]
    public static partial void PageLimitReached(ILogger logger, string account, int pages, string denom);

    [LoggerMessage(EventId = 3205, EventName = "BalanceSourceThrew", Level = LogLevel.Error,
        Message = "The balance source threw while reading {Account}; the balance is treated as unknown.")]
    public static partial void SourceThrew(ILogger logger, Exception exception, string account);
}
