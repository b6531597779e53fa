namespace SessionGate.Chain;

/// <summary>How long a block is still worth keeping, measured from the block's own time.</summary>
internal static class BlockRetention
{
    /// <summary>
    /// The time left before <paramref name="block"/> is older than <paramref name="retention"/>,
    /// capped at <paramref name="retention"/> so a node whose clock runs ahead cannot make the
    /// gateway keep blocks longer; zero or less means the block is already too old to keep.
    /// </summary>
    public static TimeSpan Remaining(BlockInfo block, TimeSpan retention, DateTimeOffset now)
    {
        // Subtract first: a node could send a time near DateTimeOffset.MaxValue, and adding to it would throw.
        TimeSpan remaining = (block.Time - now) + retention;
        return remaining > retention ? retention : remaining;
    }

    /// <summary>The oldest block time still kept at <paramref name="now"/>.</summary>
    public static DateTimeOffset Cutoff(TimeSpan retention, DateTimeOffset now) => now - retention;
}
