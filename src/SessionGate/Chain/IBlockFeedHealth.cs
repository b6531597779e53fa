namespace SessionGate.Chain;

/// <summary>
/// Health of a block feed, for readiness checks and the dashboard. Both the dev chain and the
/// Tendermint feed implement it.
/// </summary>
public interface IBlockFeedHealth
{
    /// <summary>A snapshot of the feed's health now.</summary>
    BlockFeedHealth GetHealth();
}

/// <summary>A snapshot of a block feed's health.</summary>
/// <param name="LastSuccessfulPoll">
/// When the feed last learned the chain head from its source (the node's <c>/status</c>, or the dev
/// chain producing a block); null if it never did.
/// </param>
/// <param name="ConsecutiveFailures">Failed polls since the last successful one.</param>
/// <param name="Latest">The newest block known (possibly learned from other instances through Redis).</param>
/// <param name="LatestAge">How old <paramref name="Latest"/> is by the gateway's clock, or null.</param>
/// <param name="IsLatestRecent">True when the newest block is younger than <see cref="ChainOptions.HealthyBlockAge"/>.</param>
public sealed record BlockFeedHealth(
    DateTimeOffset? LastSuccessfulPoll,
    int ConsecutiveFailures,
    BlockInfo? Latest,
    TimeSpan? LatestAge,
    bool IsLatestRecent)
{
    /// <summary>
    /// <see cref="ChainIdProblem.NetworkMismatch"/> while the node reports another network than the
    /// chain id the gateway follows (<see cref="IChainIdSource"/>); then the feed is not healthy.
    /// </summary>
    public ChainIdProblem ChainIdProblem { get; init; }

    /// <summary>Ready to serve: the source was reached at least once, the newest block is recent, and the node is on the expected chain.</summary>
    public bool IsHealthy => LastSuccessfulPoll is not null && IsLatestRecent && ChainIdProblem != ChainIdProblem.NetworkMismatch;

    /// <summary>Builds a snapshot, judging the newest block's age against <paramref name="healthyBlockAge"/>.</summary>
    internal static BlockFeedHealth Create(
        DateTimeOffset? lastSuccessfulPoll, int consecutiveFailures, BlockInfo? latest, DateTimeOffset now, TimeSpan healthyBlockAge)
    {
        TimeSpan? age = latest is null ? null : now - latest.Time;
        return new BlockFeedHealth(lastSuccessfulPoll, consecutiveFailures, latest, age, age is { } a && a <= healthyBlockAge);
    }
}
