using System.Globalization;
using SessionGate.Protocol;
using SessionGate.Storage.Redis;
using StackExchange.Redis;

namespace SessionGate.Keys.Redis;

// How every instance learns of changes within one second:
//  1. push: each write script publishes "<generation>:<hex>"; the handler drops that key's entries
//     (known and unknown, so a new registration is usable at once);
//  2. poll (backstop for messages lost while the subscription was down): the worker reads the
//     generation counter every GenerationPollInterval; if it differs from the last generation this
//     instance fully accounted for, every entry is dropped.
// _generation only advances on a message that follows it without a gap, so when the poll sees the
// same number, every change up to it was applied one by one and nothing needs clearing; a gap or a
// lost message makes the numbers differ and the poll clears. The counter going backwards (Redis lost
// its data) differs too, and clears.
//
// A lookup that misses reads Redis and then caches what it read; a change landing in between would be
// overwritten by the stale answer. _epoch (bumped by every drop) detects that: the answer is cached
// only if no drop happened between the read being sent and the entry being stored.
internal sealed partial class RedisSignerKeyDirectory
{
    private const long NoGeneration = -1;
    private readonly Lock _generationLock = new();
    private long _generation = NoGeneration;
    private long _epoch;
    private int _pollFailing;

    /// <inheritdoc />
    public string Name => "signer-key-changes";

    /// <summary>The change counter value this instance has fully applied (-1 before the first poll).</summary>
    internal long ObservedGeneration
    {
        get
        {
            lock (_generationLock)
            {
                return _generation;
            }
        }
    }

    /// <summary>True while the last poll of the change counter failed (Redis unreachable).</summary>
    internal bool IsPollFailing => Volatile.Read(ref _pollFailing) == 1;

    /// <summary>True while change notifications are being received.</summary>
    internal bool IsSubscribed => _subscription.IsActive;

    /// <summary>Follows changes made by any instance until <paramref name="stoppingToken"/> is cancelled.</summary>
    public Task RunAsync(CancellationToken stoppingToken) =>
        _subscription.FollowAsync(
            _options.SubscribeToChanges,
            _options.GenerationPollInterval,
            _timeProvider,
            PollGenerationAsync,
            () => Log.SubscribeFailed(_logger, _layout.Channel.ToString()),
            stoppingToken);

    /// <summary>One poll of the change counter (the worker's backstop step). Never throws on Redis faults.</summary>
    internal async Task PollGenerationAsync(CancellationToken cancellationToken)
    {
        long current;
        try
        {
            RedisValue value = await _connection.RunAsync(db => db.StringGetAsync(_layout.Generation), cancellationToken).ConfigureAwait(false);

            // Unreadable (someone overwrote the key): never equal to ours, so the cache is cleared each
            // poll — slower, never stale.
            current = value.IsNull ? 0
                : long.TryParse((string?)value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long parsed) ? parsed
                : long.MinValue;
        }
        catch (Exception e) when (e is RedisUnavailableException or RedisException)
        {
            // RedisException: server replies such as LOADING after a restart, which RunAsync passes
            // through; the worker must outlive them.
            if (Interlocked.Exchange(ref _pollFailing, 1) == 0)
            {
                Log.PollFailed(_logger, e);
            }

            return;
        }

        if (Interlocked.Exchange(ref _pollFailing, 0) == 1)
        {
            Log.PollRecovered(_logger);
        }

        lock (_generationLock)
        {
            if (current == _generation)
            {
                return;
            }

            Log.CacheCleared(_logger, _generation, current);
            _generation = current;
            InvalidateAll();
        }
    }

    /// <summary>Applies a change the instance learned of (by message, or by making it).</summary>
    private void ApplyChange(long generation, Bytes32 publicKey)
    {
        Invalidate(publicKey);
        lock (_generationLock)
        {
            if (generation == _generation + 1)
            {
                _generation = generation;
            }
        }
    }

    private void OnChangeMessage(RedisValue message)
    {
        string? text = message;
        int colon = text?.IndexOf(':', StringComparison.Ordinal) ?? -1;
        if (colon > 0
            && long.TryParse(text.AsSpan(0, colon), NumberStyles.None, CultureInfo.InvariantCulture, out long generation)
            && Bytes32.TryParseHex(text.AsSpan(colon + 1), out Bytes32 publicKey))
        {
            ApplyChange(generation, publicKey);
            return;
        }

        // Unreadable (another version writing?): drop everything rather than risk a stale entry.
        Log.ChangeMessageMalformed(_logger);
        InvalidateAll();
    }

    private void Remember(Bytes32 publicKey, SignerKeyRecord? record, long epoch)
    {
        if (Volatile.Read(ref _epoch) != epoch)
        {
            return;
        }

        if (record is null)
        {
            _unknown.Set(publicKey, true, _options.NegativeCacheTimeToLive);
        }
        else
        {
            _unknown.Remove(publicKey);
            _known.Set(publicKey, record, _options.CacheTimeToLive);
        }

        // A drop may have run between the check above and the Set: it bumped _epoch before removing,
        // so either its removal came after our Set, or we see the new epoch here and undo the Set.
        if (Volatile.Read(ref _epoch) != epoch)
        {
            _known.Remove(publicKey);
            _unknown.Remove(publicKey);
        }
    }

    private void Invalidate(Bytes32 publicKey)
    {
        Interlocked.Increment(ref _epoch);
        _known.Remove(publicKey);
        _unknown.Remove(publicKey);
    }

    private void InvalidateAll()
    {
        Interlocked.Increment(ref _epoch);
        _known.Clear();
        _unknown.Clear();
    }

    /// <summary>True when <paramref name="publicKey"/> is answered locally (known or unknown). For tests.</summary>
    internal bool IsCached(Bytes32 publicKey) => _known.TryGet(publicKey, out _) || _unknown.TryGet(publicKey, out _);
}
