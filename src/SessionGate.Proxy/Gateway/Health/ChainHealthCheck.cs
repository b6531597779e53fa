using System.Globalization;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using SessionGate.Chain;

namespace SessionGate.Proxy.Gateway.Health;

/// <summary>Ready while the block feed is current: its source answered and the newest block is recent.</summary>
internal sealed class ChainHealthCheck : IHealthCheck
{
    private readonly IBlockFeedHealth _feed;

    public ChainHealthCheck(IBlockFeedHealth feed) => _feed = feed;

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        BlockFeedHealth health = _feed.GetHealth();
        var data = new Dictionary<string, object>
        {
            ["consecutive_failures"] = health.ConsecutiveFailures,
        };
        if (health.Latest is { } latest)
        {
            data["latest_height"] = latest.Height;
            data["latest_age_seconds"] = Math.Round(health.LatestAge?.TotalSeconds ?? 0, 1);
        }

        // Never the node's own text: a fixed sentence, the ids are in the gateway's log (event 3013).
        string description = health switch
        {
            { ChainIdProblem: ChainIdProblem.NetworkMismatch } => "The chain node reports another network than the chain id the gateway follows (SessionGate:Chain:ChainId, or the network it reported before); its blocks are refused.",
            { IsHealthy: true } => "The chain feed is current.",
            { LastSuccessfulPoll: null } => "The chain has not been reached yet.",
            _ => "The newest known block is too old (" + (health.LatestAge?.TotalSeconds.ToString("0", CultureInfo.InvariantCulture) ?? "?") + " s): the chain node is unreachable or stalled.",
        };
        return Task.FromResult(health.IsHealthy
            ? HealthCheckResult.Healthy(description, data)
            : HealthCheckResult.Unhealthy(description, data: data));
    }
}
