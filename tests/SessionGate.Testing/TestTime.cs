namespace SessionGate.Testing;

/// <summary>Where the tests' clocks start.</summary>
public static class TestTime
{
    /// <summary>
    /// 2026-11-21 12:00 UTC, the start to give every <c>FakeTimeProvider</c> (its own default is
    /// 2000-01-01): noon, so a test has half a day before a daily quota window rolls over, and a year
    /// before the keys of <see cref="Keys.TestKeys"/> expire.
    /// </summary>
    public static readonly DateTimeOffset Start = new(2026, 11, 21, 12, 0, 0, TimeSpan.Zero);
}
