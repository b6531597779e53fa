using Microsoft.Extensions.Logging;
using SessionGate.Protocol;

namespace SessionGate.Keys;

/// <summary>
/// Registers the signer keys listed in configuration (<c>SessionGate:Keys</c>) at start-up. Safe to
/// run on every start and on every instance: a key already registered to the same account is
/// updated (expiry, use case, scopes follow the configuration), a disabled key stays disabled
/// (disabling is permanent, so configuration cannot bring it back; this is logged as a warning), and
/// a key owned by another account is left alone and logged.
/// </summary>
internal sealed class SignerKeySeeder
{
    private readonly ISignerKeyDirectory _directory;
    private readonly ILogger<SignerKeySeeder> _logger;

    /// <summary>Creates a seeder writing to <paramref name="directory"/>.</summary>
    public SignerKeySeeder(ISignerKeyDirectory directory, ILogger<SignerKeySeeder> logger)
    {
        ArgumentNullException.ThrowIfNull(directory);
        ArgumentNullException.ThrowIfNull(logger);
        _directory = directory;
        _logger = logger;
    }

    /// <summary>
    /// Registers each key in order and returns one result per key. Throws what the directory throws
    /// (e.g. <see cref="Storage.StoreUnavailableException"/>), leaving keys seeded so far in
    /// place; running it again is harmless.
    /// </summary>
    public async Task<IReadOnlyList<KeySeedResult>> SeedAsync(IEnumerable<SignerKeyRecord> keys, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(keys);
        var results = new List<KeySeedResult>();
        foreach (SignerKeyRecord key in keys)
        {
            KeyRegistrationResult result = await _directory.RegisterAsync(key, cancellationToken).ConfigureAwait(false);
            string shown = SignerKeyRules.ShortForm(key.PublicKey);
            switch (result)
            {
                case KeyRegistrationResult.Registered:
                    Log.SeedRegistered(_logger, shown, key.Account);
                    break;
                case KeyRegistrationResult.Updated:
                    Log.SeedUpdated(_logger, shown, key.Account);
                    break;
                case KeyRegistrationResult.KeyDisabled:
                    Log.SeedKeyDisabled(_logger, shown, key.Account);
                    break;
                default:
                    Log.SeedOwnedByAnotherAccount(_logger, shown, key.Account);
                    break;
            }

            results.Add(new KeySeedResult(key.PublicKey, result));
        }

        return results;
    }
}

/// <summary>What seeding did with one configured key.</summary>
/// <param name="PublicKey">The configured key.</param>
/// <param name="Result">The directory's answer to registering it.</param>
internal sealed record KeySeedResult(Bytes32 PublicKey, KeyRegistrationResult Result);
