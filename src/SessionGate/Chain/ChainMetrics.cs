using System.Diagnostics.Metrics;
using SessionGate.Diagnostics;

namespace SessionGate.Chain;

/// <summary>
/// Block-feed instruments on the <c>SessionGate</c> meter, read from the feed's health when a listener
/// collects: how far behind the chain head the gateway is (a growing lag means headers on new blocks
/// will soon be refused with <c>block_unknown</c>), the newest height, and failed polls in a row.
/// </summary>
internal sealed class ChainMetrics : IDisposable
{
    /// <summary>Age of the newest known block by the gateway's clock, in seconds.</summary>
    public const string FeedLagName = "sessiongate.chain.feed_lag";

    /// <summary>Height of the newest known block.</summary>
    public const string LatestHeightName = "sessiongate.chain.latest_height";

    /// <summary>Failed polls of the chain node since the last successful one.</summary>
    public const string PollFailuresName = "sessiongate.chain.poll_failures";

    private readonly SessionGateMeterHandle _meter;

    public ChainMetrics(IBlockFeedHealth feed, IMeterFactory? meterFactory)
    {
        ArgumentNullException.ThrowIfNull(feed);
        _meter = new SessionGateMeterHandle(meterFactory);

        // Before the first block there is nothing to report: no measurement rather than a made-up zero.
        _meter.Meter.CreateObservableGauge(
            FeedLagName,
            () => feed.GetHealth().LatestAge is { } age ? [new Measurement<double>(Math.Max(0, age.TotalSeconds))] : Array.Empty<Measurement<double>>(),
            "s",
            "Age of the newest block the gateway knows (headers must sign a block younger than the window).");
        _meter.Meter.CreateObservableGauge(
            LatestHeightName,
            () => feed.GetHealth().Latest is { } latest ? [new Measurement<long>(latest.Height)] : Array.Empty<Measurement<long>>(),
            "{block}",
            "Height of the newest block the gateway knows.");
        _meter.Meter.CreateObservableGauge(
            PollFailuresName,
            () => feed.GetHealth().ConsecutiveFailures,
            "{poll}",
            "Failed polls of the chain node since the last successful one.");
    }

    /// <inheritdoc />
    public void Dispose() => _meter.Dispose();
}
