using System.Collections.Concurrent;
using System.Globalization;
using SessionGate.Storage.Redis;
using StackExchange.Redis;

namespace SessionGate.RateLimiting.Tiers;

// Following changes. _generation is the counter value up to which this instance's copy is known to
// hold every change. A notification carries the account's new state, so it is applied directly; it
// advances _generation only when it follows it without a gap (a gap asks for a reload). A reload
// reads the counter first and the hash after, so the copy holds at least every change up to the
// counter it records; a change landing in between is either in the copy already or arrives as the
// next notification. Anything missed is caught by the next poll, as the counter then differs.
internal sealed partial class RedisTierOverrideStore
{
    private const long NotLoaded = -1;
    private readonly Lock _lock = new();
    private long _generation = NotLoaded;
    private int _reloadRequested;
    private int _pollFailing;

    /// <summary>The counter value this instance's copy is complete up to (-1 before the first load).</summary>
    internal long ObservedGeneration
    {
        get
        {
            lock (_lock)
            {
                return _generation;
            }
        }
    }

    /// <summary>True while change notifications are being received.</summary>
    internal bool IsSubscribed => _subscription.IsActive;

    /// <summary>Loads the overrides and follows changes until <paramref name="stoppingToken"/> is cancelled.</summary>
    public Task RunAsync(CancellationToken stoppingToken) =>
        _subscription.FollowAsync(
            _options.SubscribeToChanges,
            _options.PollInterval,
            _timeProvider,
            PollAsync,
            () => Log.SubscribeFailed(_logger, _layout.Channel.ToString()),
            stoppingToken);

    /// <summary>One poll: reads the counter and reloads when this copy is behind. Never throws on Redis faults.</summary>
    internal async Task PollAsync(CancellationToken cancellationToken)
    {
        try
        {
            RedisValue counter = await _connection.RunAsync(db => db.StringGetAsync(_layout.Generation), cancellationToken).ConfigureAwait(false);
            // An unreadable counter (not written by SessionGate) can never match: every poll reloads.
            long current = counter.IsNull ? 0 : counter.TryParse(out long parsed) ? parsed : long.MinValue;
            bool behind;
            lock (_lock)
            {
                behind = current != _generation || Volatile.Read(ref _reloadRequested) == 1;
            }

            if (behind)
            {
                await ReloadAsync(current, cancellationToken).ConfigureAwait(false);
            }

            if (Interlocked.Exchange(ref _pollFailing, 0) == 1)
            {
                Log.PollRecovered(_logger);
            }
        }
        catch (Exception e) when (e is RedisUnavailableException or RedisException)
        {
            if (Interlocked.Exchange(ref _pollFailing, 1) == 0)
            {
                Log.PollFailed(_logger, e.Message);
            }
        }
    }

    private async Task ReloadAsync(long generation, CancellationToken cancellationToken)
    {
        Interlocked.Exchange(ref _reloadRequested, 0);
        HashEntry[] entries = await _connection.RunAsync(db => db.HashGetAllAsync(_layout.Overrides), cancellationToken).ConfigureAwait(false);
        var copy = new ConcurrentDictionary<string, string>(StringComparer.Ordinal);
        foreach (HashEntry entry in entries)
        {
            if (TierOverrideRules.TryNormalize(entry.Name, out string account) && TierOverrideRules.IsTierName(entry.Value))
            {
                copy[account] = entry.Value!;
            }
        }

        lock (_lock)
        {
            _overrides = copy;
            _generation = generation;
        }

        Log.Loaded(_logger, copy.Count, generation);
    }

    /// <summary>Applies one change this instance learned of (by notification, or by making it).</summary>
    private void ApplyChange(long generation, string account, string? tierName)
    {
        lock (_lock)
        {
            if (_generation != NotLoaded && generation <= _generation)
            {
                return;
            }

            if (tierName is null)
            {
                _overrides.TryRemove(account, out _);
            }
            else
            {
                _overrides[account] = tierName;
            }

            if (generation == _generation + 1)
            {
                _generation = generation;
            }
            else
            {
                Interlocked.Exchange(ref _reloadRequested, 1);
            }
        }
    }

    private void OnChangeMessage(RedisValue message)
    {
        string? text = message;
        int first = text?.IndexOf(':', StringComparison.Ordinal) ?? -1;
        int second = first > 0 ? text!.IndexOf(':', first + 1) : -1;
        if (second > first + 1
            && long.TryParse(text.AsSpan(0, first), NumberStyles.None, CultureInfo.InvariantCulture, out long generation)
            && TierOverrideRules.TryNormalize(text![(first + 1)..second], out string account))
        {
            string tier = text![(second + 1)..];
            if (tier.Length == 0 || TierOverrideRules.IsTierName(tier))
            {
                ApplyChange(generation, account, tier.Length == 0 ? null : tier);
                return;
            }
        }

        // Unreadable (another version writing?): read everything again rather than risk a stale copy.
        Log.MessageMalformed(_logger);
        Interlocked.Exchange(ref _reloadRequested, 1);
    }
}
