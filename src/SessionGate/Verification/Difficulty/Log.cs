using Microsoft.Extensions.Logging;

namespace SessionGate.Verification.Difficulty;

// Event ids 3450-3499: the difficulty challenge.
internal static partial class Log
{
    [LoggerMessage(EventId = 3450, EventName = "DifficultyRaised", Level = LogLevel.Warning,
        Message = "First-seen header load {Rate:0.#}/s is over the budget of {Budget:0.#}/s: new headers must now carry a nonce of difficulty {Difficulty} (was {Previous}).")]
    public static partial void Raised(ILogger logger, double rate, double budget, int difficulty, int previous);

    [LoggerMessage(EventId = 3451, EventName = "DifficultyLowered", Level = LogLevel.Information,
        Message = "First-seen header load stayed below {Threshold:0.#}/s for {Calm}: difficulty lowered to {Difficulty} (was {Previous}).")]
    public static partial void Lowered(ILogger logger, double threshold, TimeSpan calm, int difficulty, int previous);

    [LoggerMessage(EventId = 3452, EventName = "DifficultyAlways", Level = LogLevel.Information,
        Message = "Every first-seen header must carry a nonce of difficulty {Difficulty} (SessionGate:Difficulty:Mode = Always).")]
    public static partial void Always(ILogger logger, int difficulty);
}
