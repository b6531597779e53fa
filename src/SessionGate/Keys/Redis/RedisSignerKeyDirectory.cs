using Microsoft.Extensions.Logging;
using SessionGate.Caching;
using SessionGate.Hosting;
using SessionGate.Protocol;
using SessionGate.Storage.Redis;
using StackExchange.Redis;

namespace SessionGate.Keys.Redis;

/// <summary>
/// The signer-key directory shared by every gateway instance through Redis. Writes are one atomic Lua
/// script each (see <see cref="KeyDirectoryScripts"/>); lookups answer from a local cache of known and
/// of unknown keys, reaching Redis (one HGETALL) only on a miss. Every change is pushed on a pub/sub
/// channel and counted in a generation counter that this instance's background worker polls, so each
/// instance drops what a change made stale within one second (see <c>RedisSignerKeyDirectory.Changes.cs</c>).
/// When Redis is unreachable, cached answers are still served (possibly stale) and everything else
/// throws <see cref="RedisUnavailableException"/>.
/// </summary>
internal sealed partial class RedisSignerKeyDirectory : ISignerKeyDirectory, IBackgroundWorker
{
    private readonly RedisConnection _connection;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger<RedisSignerKeyDirectory> _logger;
    private readonly RedisSignerKeyDirectoryOptions _options;
    private readonly KeyDirectoryLayout _layout;
    private readonly BoundedCache<Bytes32, SignerKeyRecord> _known;
    private readonly BoundedCache<Bytes32, bool> _unknown;
    private readonly RedisSubscription _subscription;

    /// <summary>Creates the directory; run it as a background worker (<see cref="RunAsync"/>) to follow changes.</summary>
    public RedisSignerKeyDirectory(RedisConnection connection, TimeProvider timeProvider, ILogger<RedisSignerKeyDirectory> logger, RedisSignerKeyDirectoryOptions options)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(timeProvider);
        ArgumentNullException.ThrowIfNull(logger);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _connection = connection;
        _timeProvider = timeProvider;
        _logger = logger;
        _options = options;
        _layout = new KeyDirectoryLayout(connection);
        _known = new BoundedCache<Bytes32, SignerKeyRecord>(options.CacheCapacity, timeProvider);
        _unknown = new BoundedCache<Bytes32, bool>(options.NegativeCacheCapacity, timeProvider);
        _subscription = new RedisSubscription(connection, _layout.Channel, OnChangeMessage);
    }

    /// <inheritdoc />
    public ValueTask<SignerKeyRecord?> FindAsync(Bytes32 publicKey, CancellationToken cancellationToken = default)
    {
        if (_known.TryGet(publicKey, out SignerKeyRecord record))
        {
            return ValueTask.FromResult<SignerKeyRecord?>(record);
        }

        if (_unknown.TryGet(publicKey, out _))
        {
            return ValueTask.FromResult<SignerKeyRecord?>(null);
        }

        return new ValueTask<SignerKeyRecord?>(FetchAsync(publicKey, cancellationToken));
    }

    /// <inheritdoc />
    public async Task<KeyRegistrationResult> RegisterAsync(SignerKeyRecord record, CancellationToken cancellationToken = default)
    {
        SignerKeyRecord candidate = SignerKeyRules.ForRegistration(record, _timeProvider.GetUtcNow());
        string hex = SignerKeyRules.SortKey(candidate.PublicKey);
        RedisResult result = await _connection.RunAsync(
            db => db.ScriptEvaluateAsync(
                KeyDirectoryScripts.Register,
                [_layout.Record(hex), _layout.AccountIndex(candidate.Account), _layout.Generation],
                [
                    candidate.Account, candidate.KeyType, SignerKeyHash.WriteTime(candidate.Expires), candidate.UseCase,
                    SignerKeyHash.WriteScopes(candidate.Scopes), SignerKeyHash.WriteTime(candidate.Created),
                    KeyOrigins.Name(candidate.Origin), (string?)_layout.Channel, hex,
                ]),
            cancellationToken).ConfigureAwait(false);
        return (KeyRegistrationResult)ReadOutcome(result, candidate.PublicKey, maxResult: (int)KeyRegistrationResult.KeyDisabled);
    }

    /// <inheritdoc />
    public async Task<KeyRegistrationResult> RegisterNewAsync(SignerKeyRecord record, int maxLiveKeysPerAccount, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxLiveKeysPerAccount, 1);
        DateTimeOffset now = _timeProvider.GetUtcNow();
        SignerKeyRecord candidate = SignerKeyRules.ForRegistration(record, now);
        string hex = SignerKeyRules.SortKey(candidate.PublicKey);
        RedisResult result = await _connection.RunAsync(
            db => db.ScriptEvaluateAsync(
                KeyDirectoryScripts.RegisterNew,
                [_layout.Record(hex), _layout.AccountIndex(candidate.Account), _layout.Generation],
                [
                    candidate.Account, candidate.KeyType, SignerKeyHash.WriteTime(candidate.Expires), candidate.UseCase,
                    SignerKeyHash.WriteScopes(candidate.Scopes), SignerKeyHash.WriteTime(candidate.Created),
                    KeyOrigins.Name(candidate.Origin), SignerKeyHash.WriteTime(now),
                    maxLiveKeysPerAccount.ToString(System.Globalization.CultureInfo.InvariantCulture), (string?)_layout.Channel, hex,
                ]),
            cancellationToken).ConfigureAwait(false);
        return (KeyRegistrationResult)ReadOutcome(result, candidate.PublicKey, maxResult: (int)KeyRegistrationResult.TooManyKeys);
    }

    /// <inheritdoc />
    public Task<KeyChangeResult> DisableAsync(Bytes32 publicKey, CancellationToken cancellationToken = default) =>
        ChangeAsync(KeyDirectoryScripts.Disable, publicKey, SignerKeyHash.WriteTime(_timeProvider.GetUtcNow()), cancellationToken);

    /// <inheritdoc />
    public Task<KeyChangeResult> SetExpiryAsync(Bytes32 publicKey, DateTimeOffset expires, CancellationToken cancellationToken = default) =>
        ChangeAsync(KeyDirectoryScripts.SetExpiry, publicKey, SignerKeyHash.WriteTime(expires), cancellationToken);

    /// <inheritdoc />
    public async Task<IReadOnlyList<SignerKeyRecord>> ListByAccountAsync(string account, int offset, int limit, CancellationToken cancellationToken = default)
    {
        int take = SignerKeyRules.CheckPage(offset, limit);
        string normalized = SignerKeyRules.NormalizeAccount(account);

        // Two round trips, both to the directory's one slot: the page of the index, then its records.
        RedisValue[] members = await _connection.RunAsync(
            db => db.SortedSetRangeByRankAsync(_layout.AccountIndex(normalized), offset, offset + take - 1L),
            cancellationToken).ConfigureAwait(false);
        if (members.Length == 0)
        {
            return [];
        }

        HashEntry[][] hashes = await _connection.RunAsync(
            db => Task.WhenAll(members.Select(m => db.HashGetAllAsync(_layout.Record((string)m!)))),
            cancellationToken).ConfigureAwait(false);
        var records = new List<SignerKeyRecord>(members.Length);
        for (int i = 0; i < members.Length; i++)
        {
            if (Bytes32.TryParseHex((string?)members[i], out Bytes32 publicKey) && SignerKeyHash.TryRead(publicKey, hashes[i], out SignerKeyRecord? record))
            {
                records.Add(record);
            }
            else
            {
                Log.CorruptRecord(_logger, (string?)members[i] ?? "");
            }
        }

        return records;
    }

    private async Task<KeyChangeResult> ChangeAsync(string script, Bytes32 publicKey, string argument, CancellationToken cancellationToken)
    {
        string hex = SignerKeyRules.SortKey(publicKey);
        RedisResult result = await _connection.RunAsync(
            db => db.ScriptEvaluateAsync(script, [_layout.Record(hex), _layout.Generation], [argument, (string?)_layout.Channel, hex]),
            cancellationToken).ConfigureAwait(false);
        return (KeyChangeResult)ReadOutcome(result, publicKey, maxResult: (int)KeyChangeResult.KeyDisabled);
    }

    // Reads {result, generation}; a change (generation > 0) is applied here at once rather than when this
    // instance's own notification comes back, so the writer never serves its own stale entry.
    private int ReadOutcome(RedisResult result, Bytes32 publicKey, int maxResult)
    {
        if ((RedisResult[]?)result is not [RedisResult first, RedisResult second])
        {
            throw new InvalidOperationException("Unexpected signer-key script result: expected {result, generation}.");
        }

        RedisResult[] parts = [first, second];
        int code = (int)parts[0];
        long generation = (long)parts[1];
        if (code < 0 || code > maxResult)
        {
            throw new InvalidOperationException($"Unexpected signer-key script result {code}.");
        }

        if (generation > 0)
        {
            ApplyChange(generation, publicKey);
        }

        return code;
    }

    private async Task<SignerKeyRecord?> FetchAsync(Bytes32 publicKey, CancellationToken cancellationToken)
    {
        long epoch = Volatile.Read(ref _epoch);
        HashEntry[] fields = await _connection.RunAsync(
            db => db.HashGetAllAsync(_layout.Record(SignerKeyRules.SortKey(publicKey))),
            cancellationToken).ConfigureAwait(false);
        if (fields.Length == 0)
        {
            Remember(publicKey, null, epoch);
            return null;
        }

        if (!SignerKeyHash.TryRead(publicKey, fields, out SignerKeyRecord? record))
        {
            // Fail closed (unknown key → 401) and do not cache, so a repaired record is seen at once.
            Log.CorruptRecord(_logger, SignerKeyRules.ShortForm(publicKey));
            return null;
        }

        Remember(publicKey, record, epoch);
        return record;
    }
}
