namespace SessionGate.IntegrationTests.RateLimiting;

/// <summary>The system clock, shifted: a gateway host whose clock is wrong.</summary>
internal sealed class SkewedTimeProvider(TimeSpan skew) : TimeProvider
{
    public override DateTimeOffset GetUtcNow() => System.GetUtcNow() + skew;
}
