using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SessionGate.Configuration;
using SessionGate.Keys;
using SessionGate.Protocol;

namespace SessionGate.Hosting;

/// <summary>
/// Registers the keys of <c>SessionGate:Keys</c> before the server accepts requests (idempotent:
/// a restart or a second instance re-registers the same keys; disabled keys stay disabled).
/// </summary>
internal sealed partial class KeySeedingService : IHostedLifecycleService
{
    private readonly SignerKeySeeder _seeder;
    private readonly SessionGateOptions _options;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger<KeySeedingService> _logger;

    public KeySeedingService(ISignerKeyDirectory directory, IOptions<SessionGateOptions> options, TimeProvider timeProvider, ILoggerFactory loggers)
    {
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

        DateTimeOffset now = _timeProvider.GetUtcNow();
        var records = _options.Keys.Select(k => new SignerKeyRecord
        {
            PublicKey = Bytes32.TryParseHex(k.PublicKey, out Bytes32 key) ? key : default,
            Account = AccountAddress.TryNormalize(k.Account, _options.AddressPrefix, out string account) ? account : k.Account!,
            Expires = k.Expires!.Value,
            UseCase = k.UseCase,
            Scopes = [.. k.Scopes.Select(s => new KeyScope(s.Path!, [.. s.Methods.Select(m => m.ToUpperInvariant())]))],
            Created = now,
        });

        try
        {
            await _seeder.SeedAsync(records, cancellationToken).ConfigureAwait(false);
        }
        catch (Storage.Redis.RedisUnavailableException e)
        {
            // Start anyway: keys registered earlier are still in Redis; requests with unknown keys
            // are refused until Redis is back and the gateway restarts or an operator registers them.
            LogSeedingFailed(_logger, e);
        }
    }

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(EventId = 1200, EventName = "KeySeedingFailed", Level = LogLevel.Error, Message = "Could not register the configured signer keys: Redis is unavailable")]
    private static partial void LogSeedingFailed(ILogger logger, Exception exception);
}
