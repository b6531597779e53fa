using System.Collections.Concurrent;
using SessionGate.Protocol;

namespace SessionGate.Keys;

/// <summary>
/// The signer-key directory of the embedded default (one instance, no Redis). Lookups are lock-free
/// reads of a concurrent dictionary; every write takes one lock, so the check-and-set behind "one key,
/// one account" and "disabling is permanent" is atomic. Records are never deleted (a disabled key
/// must stay known to stay disabled); keys are added by operators and by verified wallet grants
/// (at most <c>MaxKeysPerAccount</c> live ones per account, each costing a signature), so memory
/// grows with registered keys, never with unauthenticated client input.
/// </summary>
internal sealed class InMemorySignerKeyDirectory : ISignerKeyDirectory
{
    private readonly ConcurrentDictionary<Bytes32, SignerKeyRecord> _records = new();

    // Account → its keys, ordered by lowercase hex (= byte order), the order ListByAccount promises.
    private readonly Dictionary<string, SortedDictionary<string, Bytes32>> _byAccount = new(StringComparer.Ordinal);
    private readonly Lock _writeLock = new();
    private readonly TimeProvider _timeProvider;

    /// <summary>Creates an empty directory.</summary>
    public InMemorySignerKeyDirectory(TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(timeProvider);
        _timeProvider = timeProvider;
    }

    /// <inheritdoc />
    public ValueTask<SignerKeyRecord?> FindAsync(Bytes32 publicKey, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(_records.TryGetValue(publicKey, out SignerKeyRecord? record) ? record : null);

    /// <inheritdoc />
    public Task<KeyRegistrationResult> RegisterAsync(SignerKeyRecord record, CancellationToken cancellationToken = default)
    {
        SignerKeyRecord candidate = SignerKeyRules.ForRegistration(record, _timeProvider.GetUtcNow());
        lock (_writeLock)
        {
            if (_records.TryGetValue(candidate.PublicKey, out SignerKeyRecord? existing))
            {
                // Disabled is checked first: a disabled key is refused to everyone, its owner included.
                if (existing.Disabled)
                {
                    return Task.FromResult(KeyRegistrationResult.KeyDisabled);
                }

                if (!string.Equals(existing.Account, candidate.Account, StringComparison.Ordinal))
                {
                    return Task.FromResult(KeyRegistrationResult.OwnedByAnotherAccount);
                }

                _records[candidate.PublicKey] = existing with
                {
                    Expires = candidate.Expires,
                    UseCase = candidate.UseCase,
                    Scopes = candidate.Scopes,
                };
                return Task.FromResult(KeyRegistrationResult.Updated);
            }

            Add(candidate);
            return Task.FromResult(KeyRegistrationResult.Registered);
        }
    }

    /// <inheritdoc />
    public Task<KeyRegistrationResult> RegisterNewAsync(SignerKeyRecord record, int maxLiveKeysPerAccount, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxLiveKeysPerAccount, 1);
        DateTimeOffset now = _timeProvider.GetUtcNow();
        SignerKeyRecord candidate = SignerKeyRules.ForRegistration(record, now);

        // The count and the insert under the one write lock: no other registration for the account
        // can land between them.
        lock (_writeLock)
        {
            if (_records.TryGetValue(candidate.PublicKey, out SignerKeyRecord? existing))
            {
                return Task.FromResult(
                    existing.Disabled ? KeyRegistrationResult.KeyDisabled
                    : !string.Equals(existing.Account, candidate.Account, StringComparison.Ordinal) ? KeyRegistrationResult.OwnedByAnotherAccount
                    : KeyRegistrationResult.AlreadyRegistered);
            }

            int live = 0;
            if (_byAccount.TryGetValue(candidate.Account, out SortedDictionary<string, Bytes32>? keys))
            {
                foreach (Bytes32 key in keys.Values)
                {
                    SignerKeyRecord owned = _records[key];
                    if (!owned.Disabled && owned.Expires > now)
                    {
                        live++;
                    }
                }
            }

            if (live >= maxLiveKeysPerAccount)
            {
                return Task.FromResult(KeyRegistrationResult.TooManyKeys);
            }

            Add(candidate);
            return Task.FromResult(KeyRegistrationResult.Registered);
        }
    }

    // Under _writeLock.
    private void Add(SignerKeyRecord candidate)
    {
        _records[candidate.PublicKey] = candidate;
        if (!_byAccount.TryGetValue(candidate.Account, out SortedDictionary<string, Bytes32>? keys))
        {
            keys = new SortedDictionary<string, Bytes32>(StringComparer.Ordinal);
            _byAccount[candidate.Account] = keys;
        }

        keys[SignerKeyRules.SortKey(candidate.PublicKey)] = candidate.PublicKey;
    }

    /// <inheritdoc />
    public Task<KeyChangeResult> DisableAsync(Bytes32 publicKey, CancellationToken cancellationToken = default)
    {
        DateTimeOffset now = SignerKeyRules.TruncateToMilliseconds(_timeProvider.GetUtcNow());
        return Task.FromResult(Change(publicKey, existing => existing with { Disabled = true, DisabledAt = now }));
    }

    /// <inheritdoc />
    public Task<KeyChangeResult> SetExpiryAsync(Bytes32 publicKey, DateTimeOffset expires, CancellationToken cancellationToken = default)
    {
        DateTimeOffset truncated = SignerKeyRules.TruncateToMilliseconds(expires);
        return Task.FromResult(Change(publicKey, existing => existing with { Expires = truncated }));
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<SignerKeyRecord>> ListByAccountAsync(string account, int offset, int limit, CancellationToken cancellationToken = default)
    {
        int take = SignerKeyRules.CheckPage(offset, limit);
        string normalized = SignerKeyRules.NormalizeAccount(account);
        lock (_writeLock)
        {
            if (!_byAccount.TryGetValue(normalized, out SortedDictionary<string, Bytes32>? keys))
            {
                return Task.FromResult<IReadOnlyList<SignerKeyRecord>>([]);
            }

            return Task.FromResult<IReadOnlyList<SignerKeyRecord>>([.. keys.Values.Skip(offset).Take(take).Select(key => _records[key])]);
        }
    }

    // Every change refuses a disabled key: disabling is permanent and a disabled key's expiry is moot.
    private KeyChangeResult Change(Bytes32 publicKey, Func<SignerKeyRecord, SignerKeyRecord> change)
    {
        lock (_writeLock)
        {
            if (!_records.TryGetValue(publicKey, out SignerKeyRecord? existing))
            {
                return KeyChangeResult.NotFound;
            }

            if (existing.Disabled)
            {
                return KeyChangeResult.KeyDisabled;
            }

            _records[publicKey] = change(existing);
            return KeyChangeResult.Changed;
        }
    }
}
