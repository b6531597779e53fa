using System.Collections.Concurrent;

namespace SessionGate.Verification.Blocking;

/// <summary>
/// The in-memory blocker's blocks: client → end of block. Unlike <see cref="Caching.BoundedCache{TKey, TValue}"/>
/// it can list its entries, which <see cref="IClientBlocker.ListBlockedAsync"/> needs. Reads are lock-free
/// (the hot path asks it on every request); every change takes a lock and keeps at most <c>capacity</c>
/// entries: when full, expired entries go first, then the blocks closest to their end (the least harm
/// done by lifting a block early). Ended blocks stay until room is needed, so the entry count is
/// tracked under the lock rather than asking the dictionary (whose Count takes all its locks).
/// </summary>
internal sealed class BlockTable
{
    private readonly ConcurrentDictionary<string, long> _endTimestamps = new(StringComparer.Ordinal);
    private readonly Lock _writeLock = new();
    private readonly int _capacity;
    private readonly TimeProvider _timeProvider;
    private int _count;

    public BlockTable(int capacity, TimeProvider timeProvider)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        _capacity = capacity;
        _timeProvider = timeProvider;
    }

    /// <summary>Entries held (including expired ones not yet dropped); never above the capacity.</summary>
    public int Count => Volatile.Read(ref _count);

    /// <summary>Time left on the client's block, or null when not blocked.</summary>
    public TimeSpan? GetRemaining(string client)
    {
        if (!_endTimestamps.TryGetValue(client, out long end))
        {
            return null;
        }

        long now = _timeProvider.GetTimestamp();
        return end > now ? _timeProvider.GetElapsedTime(now, end) : null;
    }

    /// <summary>Blocks the client for <paramref name="duration"/> from now.</summary>
    public void Block(string client, TimeSpan duration)
    {
        long end = _timeProvider.GetTimestamp() + (long)(duration.TotalSeconds * _timeProvider.TimestampFrequency);
        lock (_writeLock)
        {
            if (!_endTimestamps.ContainsKey(client))
            {
                if (_count >= _capacity)
                {
                    MakeRoom();
                }

                _count++;
            }

            _endTimestamps[client] = end;
        }
    }

    /// <summary>Lifts a block; true when the client was blocked.</summary>
    public bool Remove(string client)
    {
        lock (_writeLock)
        {
            if (!_endTimestamps.TryRemove(client, out long end))
            {
                return false;
            }

            _count--;
            return end > _timeProvider.GetTimestamp();
        }
    }

    /// <summary>Clients blocked now, ordered by client.</summary>
    public IReadOnlyList<BlockedClient> Snapshot()
    {
        long now = _timeProvider.GetTimestamp();
        return [.. _endTimestamps
            .Where(e => e.Value > now)
            .OrderBy(e => e.Key, StringComparer.Ordinal)
            .Select(e => new BlockedClient(e.Key, _timeProvider.GetElapsedTime(now, e.Value)))];
    }

    private void MakeRoom()
    {
        long now = _timeProvider.GetTimestamp();
        foreach (KeyValuePair<string, long> entry in _endTimestamps)
        {
            if (entry.Value <= now && _endTimestamps.TryRemove(entry))
            {
                _count--;
            }
        }

        if (_count < _capacity)
        {
            return;
        }

        // Evict an eighth at once so a flood of new blocks costs one sort per capacity/8 adds.
        int evict = Math.Max(1, _capacity / 8);
        foreach (KeyValuePair<string, long> entry in _endTimestamps.OrderBy(e => e.Value).Take(evict).ToList())
        {
            if (_endTimestamps.TryRemove(entry))
            {
                _count--;
            }
        }
    }
}
