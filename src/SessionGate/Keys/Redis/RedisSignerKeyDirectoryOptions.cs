namespace SessionGate.Keys.Redis;

/// <summary>Settings of the Redis signer-key directory's local cache and change tracking.</summary>
public sealed record RedisSignerKeyDirectoryOptions
{
    /// <summary>Known keys cached per instance at most. Default 100,000.</summary>
    public int CacheCapacity { get; init; } = 100_000;

    /// <summary>
    /// Unknown keys remembered per instance at most (the negative cache). Kept apart from known keys
    /// so that clients sending random public keys cannot evict the keys of real users. Default 100,000.
    /// </summary>
    public int NegativeCacheCapacity { get; init; } = 100_000;

    /// <summary>
    /// How long a known key is served from the local cache before it is read again. Changes do not
    /// wait for this (they are pushed and polled, see <see cref="GenerationPollInterval"/>); it only
    /// bounds how long a lost notification could matter, and how long cached keys keep answering while
    /// Redis is down. Default 10 minutes.
    /// </summary>
    public TimeSpan CacheTimeToLive { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>How long an unknown key is remembered as unknown (registrations drop it at once). Default 1 minute.</summary>
    public TimeSpan NegativeCacheTimeToLive { get; init; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// How often the background worker reads the change counter, the backstop for lost pub/sub
    /// messages. Must stay well under one second: every instance honours a change within one second.
    /// Default 250 ms.
    /// </summary>
    public TimeSpan GenerationPollInterval { get; init; } = TimeSpan.FromMilliseconds(250);

    /// <summary>
    /// Off only in tests, to prove that the generation poll alone keeps the one-second promise when
    /// every pub/sub message is lost.
    /// </summary>
    internal bool SubscribeToChanges { get; init; } = true;

    /// <summary>Throws <see cref="ArgumentException"/> naming every invalid setting at once.</summary>
    internal void Validate()
    {
        var errors = new List<string>();
        if (CacheCapacity < 2)
        {
            errors.Add($"{nameof(CacheCapacity)} must be at least 2 (was {CacheCapacity}).");
        }

        if (NegativeCacheCapacity < 2)
        {
            errors.Add($"{nameof(NegativeCacheCapacity)} must be at least 2 (was {NegativeCacheCapacity}).");
        }

        if (CacheTimeToLive <= TimeSpan.Zero)
        {
            errors.Add($"{nameof(CacheTimeToLive)} must be positive (was {CacheTimeToLive}).");
        }

        if (NegativeCacheTimeToLive <= TimeSpan.Zero)
        {
            errors.Add($"{nameof(NegativeCacheTimeToLive)} must be positive (was {NegativeCacheTimeToLive}).");
        }

        if (GenerationPollInterval <= TimeSpan.Zero || GenerationPollInterval >= TimeSpan.FromSeconds(1))
        {
            errors.Add($"{nameof(GenerationPollInterval)} must be positive and under 1 second (was {GenerationPollInterval}).");
        }

        if (errors.Count > 0)
        {
            throw new ArgumentException("Invalid signer-key directory options: " + string.Join(" ", errors));
        }
    }
}
