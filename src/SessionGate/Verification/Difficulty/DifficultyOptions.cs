using SessionGate.Protocol;

namespace SessionGate.Verification.Difficulty;

/// <summary>
/// The <c>SessionGate:Difficulty</c> section: the difficulty challenge of KIP_18's nonce
/// (docs/protocol.md, docs/configuration.md). Every rule lives in <see cref="Validate"/>, so the
/// host reports every problem at start-up at once.
/// </summary>
public sealed record DifficultyOptions
{
    /// <summary>The configuration section these options bind to.</summary>
    public const string SectionName = "SessionGate:Difficulty";

    /// <summary>Highest accepted <see cref="Bits"/>: 2^32 hashes is minutes of a browser's time, past any sane bound.</summary>
    public const int MaxBits = 32;

    /// <summary>Off (default), Auto or Always.</summary>
    public DifficultyMode Mode { get; init; } = DifficultyMode.Off;

    /// <summary>
    /// The difficulty (leading zero bits) in <see cref="DifficultyMode.Always"/> mode, and the most
    /// <see cref="DifficultyMode.Auto"/> ever asks for. Default 16 (65,536 hashes expected per header).
    /// </summary>
    public int Bits { get; init; } = 16;

    /// <summary>
    /// Auto mode's budget: first-seen headers per second (cache misses that pass the challenge and go
    /// on to signature work, this gateway instance) above which the difficulty rises. Default 1,000.
    /// </summary>
    public double FirstSeenVerificationsPerSecond { get; init; } = 1_000;

    /// <summary>How long load is measured before each decision to raise or lower. Default 1 second.</summary>
    public TimeSpan MeasureInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// Bits added when a measured interval is over budget (more if the overload needs more:
    /// ⌈log2(rate / budget)⌉), and removed per <see cref="LowerAfter"/> of calm. Default 4.
    /// </summary>
    public int StepBits { get; init; } = 4;

    /// <summary>How long load must stay below <see cref="LowerBelowFraction"/> of the budget before the difficulty falls by one step. Default 30 seconds.</summary>
    public TimeSpan LowerAfter { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// The hysteresis: load counts as calm only below this fraction of the budget, so a load hovering
    /// at the budget does not make the difficulty flap. Default 0.5.
    /// </summary>
    public double LowerBelowFraction { get; init; } = 0.5;

    /// <summary>Checks every setting and returns one message per problem, each naming its key; empty when usable.</summary>
    /// <param name="section">The configuration path these options were bound from.</param>
    public IReadOnlyList<string> Validate(string section = SectionName)
    {
        var errors = new List<string>();
        if (!Enum.IsDefined(Mode))
        {
            errors.Add($"{section}:Mode must be Off, Auto or Always.");
        }

        if (Bits < 1 || Bits > MaxBits || Bits > DifficultyChallenge.MaxDifficulty)
        {
            errors.Add($"{section}:Bits must be between 1 and {MaxBits} (leading zero bits; a client expects 2^Bits hashes).");
        }

        if (!(FirstSeenVerificationsPerSecond >= 1 && FirstSeenVerificationsPerSecond <= 10_000_000))
        {
            errors.Add($"{section}:FirstSeenVerificationsPerSecond must be between 1 and 10000000.");
        }

        if (MeasureInterval < TimeSpan.FromMilliseconds(100) || MeasureInterval > TimeSpan.FromMinutes(1))
        {
            errors.Add($"{section}:MeasureInterval must be between 00:00:00.1 and 00:01:00.");
        }

        if (StepBits < 1 || StepBits > MaxBits)
        {
            errors.Add($"{section}:StepBits must be between 1 and {MaxBits}.");
        }

        if (LowerAfter < MeasureInterval || LowerAfter > TimeSpan.FromHours(1))
        {
            errors.Add($"{section}:LowerAfter must be at least {section}:MeasureInterval and at most 01:00:00.");
        }

        if (!(LowerBelowFraction > 0 && LowerBelowFraction <= 1))
        {
            errors.Add($"{section}:LowerBelowFraction must be above 0 and at most 1.");
        }

        return errors;
    }
}
