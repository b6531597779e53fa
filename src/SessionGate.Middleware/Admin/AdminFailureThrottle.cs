using SessionGate.Caching;

namespace SessionGate.AspNetCore.Admin;

/// <summary>
/// Back-off on failed admin credentials, per client address: the first
/// <see cref="Configuration.AdminOptions.FailuresPerMinute"/> failures of a minute are answered 401
/// as usual; each further failure shuts the address out for twice as long as the one before
/// (1 s, 2 s, 4 s … up to <see cref="Configuration.AdminOptions.MaxBackoff"/>), during which every admin
/// request from it is answered <c>429 admin_throttled</c> with <c>Retry-After</c> — without looking at
/// the credential, so guessing costs the guesser time, not the gateway work. A success forgets the
/// address's failures. The back-off level decays only after a whole quiet minute.
/// </summary>
/// <remarks>
/// State is per instance and bounded (<see cref="MaxTrackedClients"/> addresses, whatever clients
/// send); failures also count toward client blocking (<c>IClientBlocker</c>), which Redis shares
/// between instances.
/// </remarks>
internal sealed class AdminFailureThrottle
{
    /// <summary>Most addresses whose failures are remembered.</summary>
    public const int MaxTrackedClients = 10_000;

    private static readonly TimeSpan Window = TimeSpan.FromMinutes(1);
    private static readonly TimeSpan FirstBackoff = TimeSpan.FromSeconds(1);

    private readonly int _freeFailures;
    private readonly TimeSpan _maxBackoff;
    private readonly TimeProvider _time;
    private readonly BoundedCache<string, State> _clients;

    public AdminFailureThrottle(int failuresPerMinute, TimeSpan maxBackoff, TimeProvider time)
    {
        _freeFailures = failuresPerMinute;
        _maxBackoff = maxBackoff;
        _time = time;
        _clients = new BoundedCache<string, State>(MaxTrackedClients, time);
    }

    /// <summary>How long <paramref name="client"/> is still shut out, or null when it may try.</summary>
    public TimeSpan? ShutOutFor(string client)
    {
        if (!_clients.TryGet(client, out State? state))
        {
            return null;
        }

        lock (state)
        {
            TimeSpan left = state.ShutOutUntil - _time.GetUtcNow();
            return left > TimeSpan.Zero ? left : null;
        }
    }

    /// <summary>Counts a failure; returns the shut-out it starts, or null while failures are still free.</summary>
    public TimeSpan? RecordFailure(string client)
    {
        DateTimeOffset now = _time.GetUtcNow();
        if (!_clients.TryGet(client, out State? state))
        {
            state = new State { WindowStart = now };
        }

        TimeSpan? backoff = null;
        lock (state)
        {
            if (now - state.WindowStart >= Window && now - state.ShutOutUntil >= Window)
            {
                // A whole quiet minute: start over.
                state.WindowStart = now;
                state.Failures = 0;
                state.Strikes = 0;
            }

            state.Failures++;
            if (state.Failures > _freeFailures)
            {
                double seconds = FirstBackoff.TotalSeconds * Math.Pow(2, Math.Min(state.Strikes, 30));
                backoff = TimeSpan.FromSeconds(Math.Min(seconds, _maxBackoff.TotalSeconds));
                state.Strikes++;
                state.ShutOutUntil = now + backoff.Value;
            }
        }

        // Kept until the back-off and a quiet window after it have passed.
        _clients.Set(client, state, (backoff ?? TimeSpan.Zero) + Window);
        return backoff;
    }

    /// <summary>A correct credential: the address's failures are forgotten.</summary>
    public void RecordSuccess(string client) => _clients.Remove(client);

    private sealed class State
    {
        public DateTimeOffset WindowStart;
        public DateTimeOffset ShutOutUntil;
        public int Failures;
        public int Strikes;
    }
}
