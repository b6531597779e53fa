namespace SessionGate.RateLimiting.Quotas;

/// <summary>Time as the quota arithmetic sees it: integer microseconds since the Unix epoch (what Redis TIME gives).</summary>
internal static class UnixMicroseconds
{
    /// <summary>Microseconds in a UTC day.</summary>
    public const long PerDay = 86_400_000_000;

    /// <summary>Now, by <paramref name="timeProvider"/>.</summary>
    public static long Now(TimeProvider timeProvider) => From(timeProvider.GetUtcNow());

    /// <summary><paramref name="time"/> in Unix microseconds.</summary>
    public static long From(DateTimeOffset time) => (time.UtcTicks - DateTime.UnixEpoch.Ticks) / TimeSpan.TicksPerMicrosecond;

    /// <summary>Time left until the next 00:00 UTC after <paramref name="now"/> (Unix microseconds).</summary>
    public static long UntilNextDay(long now) => ((now / PerDay) + 1) * PerDay - now;
}
