using SessionGate.Keys;
using SessionGate.Protocol;
using SessionGate.Storage.Redis;

namespace SessionGate.Tests.Fakes;

/// <summary>A dictionary-backed directory for unit tests; can simulate an unreachable Redis.</summary>
internal sealed class FakeSignerKeyDirectory : ISignerKeyDirectory
{
    private readonly Dictionary<Bytes32, SignerKeyRecord> _keys = [];

    public bool Unreachable { get; set; }

    public void Put(SignerKeyRecord record) => _keys[record.PublicKey] = record;

    public ValueTask<SignerKeyRecord?> FindAsync(Bytes32 publicKey, CancellationToken cancellationToken = default)
    {
        if (Unreachable)
        {
            throw new RedisUnavailableException("simulated", new TimeoutException());
        }

        return ValueTask.FromResult(_keys.GetValueOrDefault(publicKey));
    }

    public Task<KeyRegistrationResult> RegisterAsync(SignerKeyRecord record, CancellationToken cancellationToken = default)
    {
        Put(record);
        return Task.FromResult(KeyRegistrationResult.Registered);
    }

    public Task<KeyRegistrationResult> RegisterNewAsync(SignerKeyRecord record, int maxLiveKeysPerAccount, CancellationToken cancellationToken = default)
    {
        if (_keys.TryGetValue(record.PublicKey, out SignerKeyRecord? existing))
        {
            return Task.FromResult(existing.Disabled ? KeyRegistrationResult.KeyDisabled
                : existing.Account != record.Account ? KeyRegistrationResult.OwnedByAnotherAccount
                : KeyRegistrationResult.AlreadyRegistered);
        }

        if (_keys.Values.Count(k => k.Account == record.Account && !k.Disabled) >= maxLiveKeysPerAccount)
        {
            return Task.FromResult(KeyRegistrationResult.TooManyKeys);
        }

        Put(record);
        return Task.FromResult(KeyRegistrationResult.Registered);
    }

    public Task<KeyChangeResult> DisableAsync(Bytes32 publicKey, CancellationToken cancellationToken = default)
    {
        _keys[publicKey] = _keys[publicKey] with { Disabled = true };
        return Task.FromResult(KeyChangeResult.Changed);
    }

    public Task<KeyChangeResult> SetExpiryAsync(Bytes32 publicKey, DateTimeOffset expires, CancellationToken cancellationToken = default)
    {
        _keys[publicKey] = _keys[publicKey] with { Expires = expires };
        return Task.FromResult(KeyChangeResult.Changed);
    }

    public Task<IReadOnlyList<SignerKeyRecord>> ListByAccountAsync(string account, int offset, int limit, CancellationToken cancellationToken = default) =>
        Task.FromResult<IReadOnlyList<SignerKeyRecord>>([.. _keys.Values.Where(k => k.Account == account).Skip(offset).Take(limit)]);
}
