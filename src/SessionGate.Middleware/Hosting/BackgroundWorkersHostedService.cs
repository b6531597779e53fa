using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using SessionGate.Balances;
using SessionGate.Chain;
using SessionGate.Keys;
using SessionGate.RateLimiting;
using SessionGate.AspNetCore.RateLimiting;
using SessionGate.Usage;
using SessionGate.Verification;

using SessionGate.Hosting;
using SessionGate.AspNetCore.Hosting;

namespace SessionGate.AspNetCore.Hosting;

/// <summary>
/// Runs the background loops for the lifetime of the host: of every registered
/// <see cref="IBackgroundWorker"/>, and of whichever implementation of a SessionGate seam (feed,
/// directory, blocker, balances, overrides, limiter, usage, history) is registered, when it has one — so a
/// replaced seam's loop runs and the replaced one's does not. Each instance runs once.
/// </summary>
internal sealed class BackgroundWorkersHostedService : BackgroundService
{
    private readonly IBackgroundWorker[] _workers;
    private readonly ILogger<BackgroundWorkersHostedService> _logger;

    public BackgroundWorkersHostedService(IServiceProvider services, ILogger<BackgroundWorkersHostedService> logger)
    {
        object[] seams =
        [
            services.GetRequiredService<IBlockFeed>(),
            services.GetRequiredService<ISignerKeyDirectory>(),
            services.GetRequiredService<IClientBlocker>(),
            services.GetRequiredService<IBalanceSource>(),
            services.GetRequiredService<ITierOverrideStore>(),
            services.GetRequiredService<IQuotaLimiter>(),
            services.GetRequiredService<IUsageTracker>(),
            services.GetRequiredService<IUsageHistory>(),
        ];
        _workers = [.. seams.OfType<IBackgroundWorker>().Concat(services.GetServices<IBackgroundWorker>()).Distinct(ReferenceEqualityComparer.Instance).Cast<IBackgroundWorker>()];
        _logger = logger;
    }

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.WhenAll(_workers.Select(worker => RunAsync(worker, stoppingToken)));

    private async Task RunAsync(IBackgroundWorker worker, CancellationToken stoppingToken)
    {
        // Workers handle their own transient faults; a crash here is a bug, so restart the loop
        // after a pause instead of leaving the gateway without (say) a block feed.
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await worker.RunAsync(stoppingToken).ConfigureAwait(false);
                return;
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                Log.WorkerFailed(_logger, e, worker.Name);
                try
                {
                    await Task.Delay(TimeSpan.FromSeconds(1), stoppingToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }
}
