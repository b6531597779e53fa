using SessionGate.Caching;

namespace SessionGate.Verification.Blocking;

/// <summary>
/// Counts authentication failures per client in a fixed window that opens with the client's first
/// failure (the same shape as the Redis counter: INCR, expiry set on the first one). Bounded by a
/// <see cref="BoundedCache{TKey, TValue}"/>: under a flood of distinct clients the least recently
/// failing ones are forgotten first.
/// </summary>
internal sealed class FailureCounter
{
    private readonly BoundedCache<string, Count> _counts;
    private readonly Lock _lock = new();
    private readonly TimeSpan _window;

    public FailureCounter(int capacity, TimeSpan window, TimeProvider timeProvider)
    {
        _counts = new BoundedCache<string, Count>(capacity, timeProvider);
        _window = window;
    }

    /// <summary>Clients with a live count (upper bound: includes expired ones not yet dropped).</summary>
    public int Tracked => _counts.Count;

    /// <summary>Counts one failure; true when it reaches <paramref name="threshold"/> (the client's: see <see cref="ClientPrefixTable"/>), which also restarts the count.</summary>
    public bool Increment(string client, int threshold)
    {
        // One lock: failures are rare next to requests (each already cost a signature check), and it
        // makes "first failure opens the window" and "threshold resets" exact under concurrency.
        lock (_lock)
        {
            if (!_counts.TryGet(client, out Count? count))
            {
                count = new Count();
                _counts.Set(client, count, _window);
            }

            if (++count.Value < threshold)
            {
                return false;
            }

            _counts.Remove(client);
            return true;
        }
    }

    /// <summary>Forgets a client's failures.</summary>
    public void Reset(string client)
    {
        lock (_lock)
        {
            _counts.Remove(client);
        }
    }

    private sealed class Count
    {
        public int Value;
    }
}
