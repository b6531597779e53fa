using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using SessionGate.Hosting;

namespace SessionGate.Hosting;

/// <summary>Runs the background loops of SessionGate's components for the lifetime of the host.</summary>
internal sealed partial class BackgroundWorkersHostedService : BackgroundService
{
    private readonly IEnumerable<IBackgroundWorker> _workers;
    private readonly ILogger<BackgroundWorkersHostedService> _logger;

    public BackgroundWorkersHostedService(DependencyInjection.SessionGateComponents components, ILogger<BackgroundWorkersHostedService> logger)
    {
        _workers = components.Workers;
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
                LogWorkerFailed(_logger, e, worker.Name);
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

    [LoggerMessage(EventId = 1100, EventName = "WorkerFailed", Level = LogLevel.Error, Message = "Background worker {Worker} failed; restarting it")]
    private static partial void LogWorkerFailed(ILogger logger, Exception exception, string worker);
}
