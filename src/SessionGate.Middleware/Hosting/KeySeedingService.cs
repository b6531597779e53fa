using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SessionGate.Storage;
using SessionGate.AspNetCore.Configuration;
using SessionGate.Keys;
using SessionGate.Protocol;
using SessionGate.Storage.Redis;

using SessionGate.Hosting;
using SessionGate.AspNetCore.Hosting;

namespace SessionGate.AspNetCore.Hosting;

/// <summary>
/// Registers the keys of <c>SessionGate:Keys</c> before the server accepts requests (idempotent:
/// a restart or a second instance re-registers the same keys; disabled keys stay disabled), and keeps
/// them registered: when Redis was down at start-up, or comes back without its data (a Redis run
/// without persistence, a flushed database), the configured keys are registered again as soon as
/// Redis answers, instead of being refused as <c>key_unknown</c> until the next restart.
/// </summary>
internal sealed class KeySeedingService : IHostedLifecycleService, IDisposable
{
    /// <summary>How often the configured keys are checked (from the directory's local cache: cheap).</summary>
    internal static readonly TimeSpan CheckInterval = TimeSpan.FromSeconds(5);

    private readonly ISignerKeyDirectory _directory;
    private readonly SignerKeySeeder _seeder;
    private readonly SessionGateOptions _options;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger<KeySeedingService> _logger;
    private readonly CancellationTokenSource _stopping = new();
    private Task _watch = Task.CompletedTask;

    public KeySeedingService(ISignerKeyDirectory directory, IOptions<SessionGateOptions> options, TimeProvider timeProvider, ILoggerFactory loggers)
    {
        _directory = directory;
        _seeder = new SignerKeySeeder(directory, loggers.CreateLogger<SignerKeySeeder>());
        _options = options.Value;
        _timeProvider = timeProvider;
        _logger = loggers.CreateLogger<KeySeedingService>();
    }

    public async Task StartingAsync(CancellationToken cancellationToken)
    {
        if (_options.Keys.Count == 0)
        {
            return;
        }

        try
        {
            await _seeder.SeedAsync(Records(), cancellationToken).ConfigureAwait(false);
        }
        catch (StoreUnavailableException e)
        {
            // Start anyway: keys registered earlier are still in Redis; the watch below registers
            // the configured ones as soon as Redis answers.
            Log.SeedingFailed(_logger, e);
        }
    }

    public Task StartedAsync(CancellationToken cancellationToken)
    {
        if (_options.Keys.Count > 0)
        {
            _watch = WatchAsync(_stopping.Token);
        }

        return Task.CompletedTask;
    }

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public async Task StoppingAsync(CancellationToken cancellationToken)
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        await _watch.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public void Dispose() => _stopping.Dispose();

    /// <summary>One check: registers every configured key again when one of them is missing. Returns true when it did.</summary>
    internal async Task<bool> EnsureRegisteredAsync(CancellationToken cancellationToken)
    {
        try
        {
            foreach (SignerKeyRecord configured in Records())
            {
                if (await _directory.FindAsync(configured.PublicKey, cancellationToken).ConfigureAwait(false) is null)
                {
                    Log.Reseeding(_logger, SignerKeyRules.ShortForm(configured.PublicKey));
                    await _seeder.SeedAsync(Records(), cancellationToken).ConfigureAwait(false);
                    return true;
                }
            }
        }
        catch (StoreUnavailableException)
        {
            // Still down: the directory logs the outage; try again at the next check.
        }

        return false;
    }

    private async Task WatchAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(CheckInterval, _timeProvider, stoppingToken).ConfigureAwait(false);
                await EnsureRegisteredAsync(stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is StackExchange.Redis.RedisException or TimeoutException)
            {
                // A server reply such as LOADING while a restarted Redis reads its files: next check.
                Log.CheckFailed(_logger, e);
            }
        }
    }

    private IEnumerable<SignerKeyRecord> Records()
    {
        DateTimeOffset now = _timeProvider.GetUtcNow();
        return _options.Keys.Select(k => new SignerKeyRecord
        {
            PublicKey = Bytes32.TryParseHex(k.PublicKey, out Bytes32 key) ? key : default,
            Account = AccountAddress.TryNormalize(k.Account, _options.AddressPrefix, out string account) ? account : k.Account!,
            Expires = k.Expires!.Value,
            UseCase = k.UseCase,
            Scopes = [.. k.Scopes.Select(s => new KeyScope(s.Path!, [.. s.Methods.Select(m => m.ToUpperInvariant())], s.MaxCost))],
            Created = now,
            Origin = KeyOrigin.Config,
        });
    }
}
