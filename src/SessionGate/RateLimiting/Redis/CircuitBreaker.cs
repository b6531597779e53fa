namespace SessionGate.RateLimiting.Redis;

/// <summary>
/// Keeps requests off a failing Redis. Closed: every call goes to Redis. A failure opens it: calls
/// are refused (the caller uses its failure mode) for the retry interval; then exactly one call — the
/// probe — goes to Redis, the rest keep being refused. The probe's success closes the breaker (automatic
/// recovery); its failure opens it for another interval. Results of calls that started before the
/// breaker opened never close it. Cheap when closed: one volatile read.
/// </summary>
internal sealed class CircuitBreaker(TimeSpan retryInterval, TimeProvider timeProvider)
{
    private const int Closed = 0;
    private const int Open = 1;
    private const int Probing = 2;

    private readonly Lock _lock = new();
    private volatile int _state = Closed;
    private long _probeAt;
    private long _openedAt;

    /// <summary>True while calls are kept off Redis (open, or a probe is in flight).</summary>
    public bool IsOpen => _state != Closed;

    /// <summary>Asks to call Redis.</summary>
    public BreakerTicket TryEnter()
    {
        if (_state == Closed)
        {
            return BreakerTicket.Normal;
        }

        lock (_lock)
        {
            if (_state == Closed)
            {
                return BreakerTicket.Normal;
            }

            if (_state == Open && timeProvider.GetTimestamp() >= _probeAt)
            {
                _state = Probing;
                return BreakerTicket.Probe;
            }

            return BreakerTicket.Refused;
        }
    }

    /// <summary>Reports a successful call; returns how long the breaker had been open when this closed it.</summary>
    public TimeSpan? OnSuccess(BreakerTicket ticket)
    {
        if (ticket != BreakerTicket.Probe)
        {
            return null;
        }

        lock (_lock)
        {
            _state = Closed;
            return timeProvider.GetElapsedTime(_openedAt);
        }
    }

    /// <summary>Reports a failed call; returns what changed.</summary>
    public BreakerTransition OnFailure(BreakerTicket ticket)
    {
        lock (_lock)
        {
            if (ticket == BreakerTicket.Probe)
            {
                OpenLocked(keepOpenedAt: true);
                return BreakerTransition.ProbeFailed;
            }

            if (ticket == BreakerTicket.Normal && _state == Closed)
            {
                OpenLocked(keepOpenedAt: false);
                return BreakerTransition.Opened;
            }

            // A call that started before the breaker opened: already accounted for.
            return BreakerTransition.None;
        }
    }

    /// <summary>Reports a call abandoned by its caller (cancelled): a probe's turn passes to the next call.</summary>
    public void OnAbandoned(BreakerTicket ticket)
    {
        if (ticket != BreakerTicket.Probe)
        {
            return;
        }

        lock (_lock)
        {
            _state = Open;
            _probeAt = timeProvider.GetTimestamp();
        }
    }

    /// <summary>Time until the next probe may go to Redis (zero when due or in flight; zero when closed).</summary>
    public TimeSpan UntilProbe()
    {
        lock (_lock)
        {
            long now = timeProvider.GetTimestamp();
            return _state == Open && _probeAt > now ? timeProvider.GetElapsedTime(now, _probeAt) : TimeSpan.Zero;
        }
    }

    private void OpenLocked(bool keepOpenedAt)
    {
        long now = timeProvider.GetTimestamp();
        if (!keepOpenedAt)
        {
            _openedAt = now;
        }

        _probeAt = now + (long)(Math.Max(0, retryInterval.TotalSeconds) * timeProvider.TimestampFrequency);
        _state = Open;
    }
}

/// <summary>What <see cref="CircuitBreaker.TryEnter"/> allows.</summary>
internal enum BreakerTicket
{
    /// <summary>Closed: call Redis.</summary>
    Normal,

    /// <summary>Open: do not call Redis; use the failure mode.</summary>
    Refused,

    /// <summary>Open, retry interval over: this call is the one probe.</summary>
    Probe,
}

/// <summary>What a failure changed.</summary>
internal enum BreakerTransition
{
    /// <summary>Nothing (the breaker was already open).</summary>
    None,

    /// <summary>The breaker opened: the limiter switched to its failure mode.</summary>
    Opened,

    /// <summary>The probe failed: the breaker stays open for another interval.</summary>
    ProbeFailed,
}
