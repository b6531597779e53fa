using SessionGate.Verification.Difficulty;

namespace SessionGate.Tests.Verification.Difficulty;

public sealed class DifficultyOptionsTests
{
    [Fact]
    public void Validate_Defaults_AreValidAndOff()
    {
        var options = new DifficultyOptions();
        Assert.Empty(options.Validate());
        Assert.Equal(DifficultyMode.Off, options.Mode);
    }

    [Fact]
    public void Validate_EveryBadSetting_IsReportedWithItsKey()
    {
        var options = new DifficultyOptions
        {
            Mode = (DifficultyMode)7,
            Bits = 33,
            FirstSeenVerificationsPerSecond = 0,
            MeasureInterval = TimeSpan.FromMilliseconds(10),
            StepBits = 0,
            LowerAfter = TimeSpan.FromHours(2),
            LowerBelowFraction = 1.5,
        };

        IReadOnlyList<string> errors = options.Validate("SessionGate:Difficulty");

        Assert.Equal(7, errors.Count);
        foreach (string key in new[] { "Mode", "Bits", "FirstSeenVerificationsPerSecond", "MeasureInterval", "StepBits", "LowerAfter", "LowerBelowFraction" })
        {
            Assert.Contains(errors, e => e.StartsWith("SessionGate:Difficulty:" + key + " ", StringComparison.Ordinal));
        }
    }

    [Fact]
    public void Validate_LowerAfterShorterThanTheInterval_IsRefused() =>
        Assert.Single(new DifficultyOptions { MeasureInterval = TimeSpan.FromSeconds(5), LowerAfter = TimeSpan.FromSeconds(1) }.Validate());

    [Theory]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    public void Validate_NonFiniteBudget_IsRefused(double budget) =>
        Assert.Single(new DifficultyOptions { FirstSeenVerificationsPerSecond = budget }.Validate());
}
