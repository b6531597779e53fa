using Microsoft.Extensions.Logging;

namespace SessionGate.Verification.Budget;

/// <summary>
/// <see cref="IVerificationBudget"/> of one gateway instance: a count per client in fixed one-minute
/// windows (UTC minutes of the injected clock), all counts dropped together when a minute ends. So the
/// table needs no eviction: at most <see cref="ClientBlockingOptions.MaxTrackedClients"/> clients per
/// minute get a count of their own, and once it is full, further new clients share one overflow count
/// with the default budget (a flood of fresh addresses can never reset anyone's count, and costs at
/// most one more budget). Only cache misses come here, each about to cost a signature check (~100 µs),
/// so one lock is cheap next to the work it guards.
/// </summary>
internal sealed class VerificationBudget : IVerificationBudget
{
    private const long WindowMs = 60_000;

    private readonly Lock _lock = new();
    private readonly Dictionary<string, int> _counts = new(StringComparer.Ordinal);
    private readonly ClientPrefixTable _prefixes;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;
    private readonly int _capacity;
    private readonly int _defaultBudget;
    private long _window = long.MinValue;
    private int _overflow;

    public VerificationBudget(ClientBlockingOptions options, TimeProvider timeProvider, ILogger<VerificationBudget> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(timeProvider);
        ArgumentNullException.ThrowIfNull(logger);
        _prefixes = new ClientPrefixTable(options);
        _timeProvider = timeProvider;
        _logger = logger;
        _capacity = Math.Max(1, options.MaxTrackedClients);
        _defaultBudget = options.VerificationsPerMinute;
    }

    /// <summary>Clients with a count of their own in this minute (for tests: never above the bound).</summary>
    internal int TrackedClients
    {
        get
        {
            lock (_lock)
            {
                return _counts.Count;
            }
        }
    }

    /// <inheritdoc />
    public bool TryCharge(string client, out TimeSpan retryAfter)
    {
        ArgumentNullException.ThrowIfNull(client);
        retryAfter = TimeSpan.Zero;
        int budget = _prefixes.VerificationsPerMinuteOf(client);
        if (budget == 0)
        {
            return true;
        }

        long now = _timeProvider.GetUtcNow().ToUnixTimeMilliseconds();
        long window = now / WindowMs;
        bool logExhausted;
        lock (_lock)
        {
            if (window != _window)
            {
                _counts.Clear();
                _overflow = 0;
                _window = window;
            }

            ref int count = ref _overflow;
            if (_counts.Count < _capacity || _counts.ContainsKey(client))
            {
                count = ref System.Runtime.InteropServices.CollectionsMarshal.GetValueRefOrAddDefault(_counts, client, out _);
            }
            else
            {
                budget = _defaultBudget == 0 ? int.MaxValue : _defaultBudget;
            }

            if (count < budget)
            {
                count++;
                return true;
            }

            // Counted once past the budget, so the exhaustion is logged once per client and minute.
            logExhausted = count == budget;
            if (logExhausted)
            {
                count++;
            }
        }

        retryAfter = TimeSpan.FromMilliseconds(((window + 1) * WindowMs) - now);
        if (logExhausted)
        {
            Log.BudgetExhausted(_logger, client, budget);
        }

        return false;
    }
}
