using System.Diagnostics;
using System.Runtime.InteropServices;
using SessionGate.Diagnostics;

namespace SessionGate.Balances;

// Fetching: one fetch per account at a time (the in-flight map), its outcome stored before the
// account leaves the map, so a caller arriving in between finds one or the other.
internal sealed partial class CachingBalanceSource
{
    private Task<BalanceResult> GetOrStartFetch(string account)
    {
        var fetch = new TaskCompletionSource<BalanceResult>(TaskCreationOptions.RunContinuationsAsynchronously);
        Task<BalanceResult> running = _inFlight.GetOrAdd(account, fetch.Task);
        if (!ReferenceEquals(running, fetch.Task))
        {
            return running;
        }

        // A fetch may have finished since the caller looked at the cache: use its outcome.
        if (TryAnswerAfterFetch(account, out BalanceResult answer))
        {
            _inFlight.TryRemove(new KeyValuePair<string, Task<BalanceResult>>(account, fetch.Task));
            fetch.SetResult(answer);
            return fetch.Task;
        }

        _ = CompleteFetchAsync(account, fetch, background: false);
        return fetch.Task;
    }

    private void RefreshInBackground(string account)
    {
        if (_inFlight.ContainsKey(account))
        {
            return;
        }

        if (Interlocked.Increment(ref _backgroundRefreshes) > MaxBackgroundRefreshes)
        {
            Interlocked.Decrement(ref _backgroundRefreshes);
            return;
        }

        var fetch = new TaskCompletionSource<BalanceResult>(TaskCreationOptions.RunContinuationsAsynchronously);
        if (!_inFlight.TryAdd(account, fetch.Task))
        {
            Interlocked.Decrement(ref _backgroundRefreshes);
            return;
        }

        // On the thread pool: the caller returns the cached value without running any of the fetch.
        ThreadPool.UnsafeQueueUserWorkItem(
            static state => _ = state.Source.CompleteFetchAsync(state.Account, state.Fetch, background: true),
            (Source: this, Account: account, Fetch: fetch),
            preferLocal: false);
    }

    private bool TryAnswerAfterFetch(string account, out BalanceResult answer)
    {
        answer = default;
        long now = _timeProvider.GetTimestamp();
        if (!_cache.TryGet(account, out CachedBalance entry))
        {
            return false;
        }

        if (entry.HasValue && now - entry.ReadAt < _ttl)
        {
            answer = entry.ToResult();
            return true;
        }

        if (entry.LastFetchFailed && now < entry.RetryAt)
        {
            answer = Fallback(entry, now);
            return true;
        }

        return false;
    }

    private async Task CompleteFetchAsync(string account, TaskCompletionSource<BalanceResult> fetch, bool background)
    {
        // Whatever happens, the shared task completes and the account leaves the in-flight map:
        // callers are waiting on it, and a stuck entry would stop every later fetch of the account.
        BalanceResult answer = BalanceResult.Unknown;
        using Activity? activity = SessionGateActivitySource.Start(SessionGateActivitySource.BalanceFetchSpan);
        activity?.SetTag(SessionGateActivitySource.BalanceBackgroundAttribute, background);
        try
        {
            BalanceResult fetched;
            try
            {
                // No caller's token: callers share this fetch, and one giving up must not cancel it for
                // the others. The inner source bounds it (the REST source by its request timeout).
                fetched = await _inner.GetBalanceAsync(account, CancellationToken.None).ConfigureAwait(false);
            }
            catch (Exception e)
            {
                Log.SourceThrew(_logger, e, Diagnostics.LogValue.Escape(account));
                fetched = BalanceResult.Unknown;
            }

            activity?.SetTag(SessionGateActivitySource.BalanceKnownAttribute, fetched.Known);
            answer = fetched.Known ? Remember(account, fetched) : RememberFailure(account);
        }
        finally
        {
            _inFlight.TryRemove(new KeyValuePair<string, Task<BalanceResult>>(account, fetch.Task));
            if (background)
            {
                Interlocked.Decrement(ref _backgroundRefreshes);
            }

            fetch.SetResult(answer);
        }
    }

    private BalanceResult Remember(string account, BalanceResult fetched)
    {
        DateTimeOffset asOf = fetched.AsOf == default ? _timeProvider.GetUtcNow() : fetched.AsOf;
        var entry = new CachedBalance(true, fetched.Balance, asOf, _timeProvider.GetTimestamp(), LastFetchFailed: false, RetryAt: 0);
        _cache.Set(account, entry, _keepFor);
        return entry.ToResult();
    }

    // Keeps the last known balance (if any) for what remains of its life, marked failed so callers
    // stop waiting for the chain and a retry happens only after the retry interval.
    private BalanceResult RememberFailure(string account)
    {
        long now = _timeProvider.GetTimestamp();
        _cache.TryGet(account, out CachedBalance previous);
        long remaining = previous.HasValue ? Ticks(_keepFor) - (now - previous.ReadAt) : 0;
        CachedBalance entry = remaining > 0
            ? previous with { LastFetchFailed = true, RetryAt = now + _retryInterval }
            : new CachedBalance(false, 0m, default, now, LastFetchFailed: true, RetryAt: now + _retryInterval);
        TimeSpan keep = remaining > 0 ? TimeSpan.FromSeconds((double)remaining / _timeProvider.TimestampFrequency) : TimeSpan.FromSeconds((double)_ttl / _timeProvider.TimestampFrequency);
        _cache.Set(account, entry, keep);
        return Fallback(entry, now);
    }

    /// <summary>One account's cached state. <see cref="ReadAt"/> is a <see cref="TimeProvider"/> timestamp.</summary>
    [StructLayout(LayoutKind.Auto)]
    private readonly record struct CachedBalance(bool HasValue, decimal Balance, DateTimeOffset AsOf, long ReadAt, bool LastFetchFailed, long RetryAt)
    {
        public BalanceResult ToResult() => new(true, Balance, AsOf);
    }
}
