using Microsoft.Extensions.Logging;

namespace SessionGate.Verification;

// Event ids 3400-3449: verification (the verdict cache and the verification budget). Client keys are
// logged as parsed address text (never raw client input).
internal static partial class Log
{
    [LoggerMessage(EventId = 3400, EventName = "VerificationBudgetExhausted", Level = LogLevel.Information,
        Message = "Client {Client} spent its budget of {Budget} first-seen signature checks this minute; further new headers are refused until the minute ends.")]
    public static partial void BudgetExhausted(ILogger logger, string client, int budget);
}
