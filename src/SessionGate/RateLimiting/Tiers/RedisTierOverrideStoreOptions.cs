namespace SessionGate.RateLimiting.Tiers;

/// <summary>Settings of <see cref="RedisTierOverrideStore"/>.</summary>
internal sealed record RedisTierOverrideStoreOptions
{
    /// <summary>
    /// How often each instance reads the change counter (one GET), the backstop for lost pub/sub
    /// messages: a change reaches every instance within this interval plus one HGETALL even when its
    /// notification is lost. Under 1 s. Default 250 ms.
    /// </summary>
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromMilliseconds(250);

    /// <summary>Most overrides in the shared hash (each instance holds them all in memory). Default 100,000.</summary>
    public int MaxOverrides { get; init; } = 100_000;

    /// <summary>Off only in tests, to prove that polling alone propagates changes.</summary>
    public bool SubscribeToChanges { get; init; } = true;

    /// <summary>Throws <see cref="ArgumentException"/> naming every invalid setting.</summary>
    public void Validate()
    {
        var errors = new List<string>();
        if (PollInterval <= TimeSpan.Zero || PollInterval >= TimeSpan.FromSeconds(1))
        {
            errors.Add($"{nameof(PollInterval)} must be positive and under 1 second (was {PollInterval}).");
        }

        if (MaxOverrides < 1)
        {
            errors.Add($"{nameof(MaxOverrides)} must be at least 1 (was {MaxOverrides}).");
        }

        if (errors.Count > 0)
        {
            throw new ArgumentException("Invalid tier override store options: " + string.Join(" ", errors));
        }
    }
}
