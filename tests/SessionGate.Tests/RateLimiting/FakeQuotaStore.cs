using SessionGate.RateLimiting.Quotas;
using SessionGate.RateLimiting.Redis;
using SessionGate.Storage.Redis;

namespace SessionGate.Tests.RateLimiting;

/// <summary>
/// A hand-written stand-in for Redis: decides with <see cref="QuotaMath"/> on its own state (as the
/// script would) while healthy; throws <see cref="RedisUnavailableException"/> while down; or holds
/// calls until released (a Redis that hangs).
/// </summary>
internal sealed class FakeQuotaStore(TimeProvider timeProvider) : IQuotaStore
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, QuotaState> _states = [];
    private TaskCompletionSource? _gate;
    private int _calls;
    private int _leaseCalls;

    /// <summary>True to fail every call with <see cref="RedisUnavailableException"/>.</summary>
    public bool IsDown { get; set; }

    /// <summary>What the store says of its connection; true unless a test says the socket is gone.</summary>
    public bool IsConnected { get; set; } = true;

    /// <summary>When set, every call throws this instead.</summary>
    public Exception? Failure { get; set; }

    /// <summary>Calls received.</summary>
    public int Calls => Volatile.Read(ref _calls);

    /// <summary>Holds every later call until <see cref="Release"/>.</summary>
    public void Hold() => _gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Lets held calls finish.</summary>
    public void Release() => _gate?.TrySetResult();

    public async Task<QuotaVerdict> DecideAsync(string key, GcraLimits limits, long cost, bool commit, CancellationToken cancellationToken) =>
        (await DecideAsync(key, limits, cost, commit, 0, default, cancellationToken)).Verdict;

    public Task<LeaseVerdict> LeaseAsync(string key, GcraLimits limits, long cost, long block, LeaseReturn giveBack, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _leaseCalls);
        return DecideAsync(key, limits, cost, true, block, giveBack, cancellationToken);
    }

    /// <summary>Calls that leased (or tried to lease) a block.</summary>
    public int LeaseCalls => Volatile.Read(ref _leaseCalls);

    /// <summary>The stored state of <paramref name="key"/> (what Redis would hold).</summary>
    public QuotaState StateOf(string key)
    {
        lock (_lock)
        {
            return _states.GetValueOrDefault(key);
        }
    }

    private async Task<LeaseVerdict> DecideAsync(string key, GcraLimits limits, long cost, bool commit, long block, LeaseReturn giveBack, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _calls);
        if (_gate is { } gate)
        {
            await gate.Task.WaitAsync(cancellationToken);
        }

        if (Failure is { } failure)
        {
            throw failure;
        }

        if (IsDown)
        {
            throw new RedisUnavailableException("Redis is not reachable.", new TimeoutException());
        }

        lock (_lock)
        {
            _states.TryGetValue(key, out QuotaState state);
            LeaseVerdict verdict = LeaseMath.Decide(state, limits, cost, block, giveBack, UnixMicroseconds.Now(timeProvider), commit, out QuotaState next);
            _states[key] = next;
            return verdict;
        }
    }
}
