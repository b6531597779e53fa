using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using SessionGate.Chain;
using SessionGate.AspNetCore.Configuration;
using SessionGate.AspNetCore.DependencyInjection;
using SessionGate.Storage.Redis;

using SessionGate.Hosting;
using SessionGate.AspNetCore.Hosting;

namespace SessionGate.AspNetCore.Hosting;

/// <summary>
/// Runs before the server accepts requests (<see cref="IHostedLifecycleService.StartingAsync"/>): opens
/// the Redis connection asynchronously when Redis is used (not waiting for Redis to be up: the
/// connection retries in the background, bounded by the connect timeout), creates the Redis and chain
/// instruments so they report from the first scrape, warns about half-configured chains, and stops
/// the host when a reachable Tendermint node reports another network than <c>SessionGate:Chain:ChainId</c>.
/// </summary>
internal sealed class SessionGateStartupService(IServiceProvider services, ILogger<SessionGateStartupService> logger) : IHostedLifecycleService
{
    public async Task StartingAsync(CancellationToken cancellationToken)
    {
        if (services.UsesRedis())
        {
            await services.GetRequiredService<RedisConnection>().ConnectAsync(cancellationToken).ConfigureAwait(false);
            _ = services.GetRequiredService<RedisMetrics>();
        }

        _ = services.GetRequiredService<ChainMetrics>();
        ChainOptions chain = services.GetSessionGateOptions().Chain;
        if (chain.Mode == ChainMode.Tendermint && chain.RestUrl is null)
        {
            Log.NoRestUrl(logger);
        }

        // A pinned chain id the node contradicts stops the host with both ids named; an unreachable
        // node does not (the feed keeps polling, /readyz reports it).
        if (chain.ChainId is not null && services.GetRequiredService<IBlockFeed>() is TendermintBlockFeed feed)
        {
            await feed.CheckPinnedChainIdAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
