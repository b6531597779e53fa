// Decides the difficulty d asked of first-seen headers. Off: 0. Always: Bits. Auto: a control loop
// on this instance's first-seen load (cache misses that pass the challenge and would cost a
// signature check), measured over MeasureInterval on the injected TimeProvider:
//   rate > budget                      → d += max(StepBits, ⌈log2(rate / budget)⌉), capped at Bits;
//   rate < LowerBelowFraction × budget → after LowerAfter of such calm, d −= StepBits per LowerAfter;
//   in between                         → d holds (hysteresis: no flapping around the budget).
// Only admitted headers count: a sender who does not solve the challenge adds no load, so d settles
// where the headers that do get through (solved, or lucky) fit the budget. Evaluated lazily on the
// request path and on every read (so /block sees d fall without traffic); no timer.
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace SessionGate.Verification.Difficulty;

/// <summary>The current difficulty and the load tracker it is decided from (see the file comment).</summary>
internal sealed class DifficultyController
{
    private readonly DifficultyOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Lock _gate = new();
    private long _count;
    private long _intervalStart;
    private long _calmSince;
    private int _difficulty;
    private double _lastRate;

    public DifficultyController(DifficultyOptions options, TimeProvider timeProvider, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(timeProvider);
        _options = options;
        _time = timeProvider;
        _logger = logger ?? NullLogger.Instance;
        _intervalStart = _calmSince = timeProvider.GetTimestamp();
        _difficulty = options.Mode == DifficultyMode.Always ? options.Bits : 0;
        if (options.Mode == DifficultyMode.Always)
        {
            Log.Always(_logger, options.Bits);
        }
    }

    /// <summary>The mode in force.</summary>
    public DifficultyMode Mode => _options.Mode;

    /// <summary>Leading zero bits a first-seen header's nonce must give now (0: none).</summary>
    public int Current
    {
        get
        {
            if (_options.Mode == DifficultyMode.Auto)
            {
                Advance();
            }

            return Volatile.Read(ref _difficulty);
        }
    }

    /// <summary>First-seen headers per second over the last measured interval (Auto mode; else 0).</summary>
    public double LastRate => Volatile.Read(ref _lastRate);

    /// <summary>Counts one first-seen header that goes on to signature work.</summary>
    public void RecordFirstSeen()
    {
        if (_options.Mode == DifficultyMode.Auto)
        {
            Interlocked.Increment(ref _count);
        }
    }

    private void Advance()
    {
        long now = _time.GetTimestamp();
        if (_time.GetElapsedTime(Volatile.Read(ref _intervalStart), now) < _options.MeasureInterval)
        {
            return;
        }

        lock (_gate)
        {
            TimeSpan elapsed = _time.GetElapsedTime(_intervalStart, now);
            if (elapsed < _options.MeasureInterval)
            {
                return; // another caller decided this interval meanwhile
            }

            double rate = Interlocked.Exchange(ref _count, 0) / elapsed.TotalSeconds;
            Volatile.Write(ref _lastRate, rate);
            Volatile.Write(ref _intervalStart, now);
            Decide(rate, now);
        }
    }

    private void Decide(double rate, long now)
    {
        double budget = _options.FirstSeenVerificationsPerSecond;
        int previous = _difficulty;
        if (rate > budget)
        {
            _calmSince = now;
            int needed = (int)Math.Ceiling(Math.Log2(rate / budget));
            int next = Math.Min(_options.Bits, previous + Math.Max(_options.StepBits, needed));
            if (next != previous)
            {
                Volatile.Write(ref _difficulty, next);
                Log.Raised(_logger, rate, budget, next, previous);
            }

            return;
        }

        double threshold = budget * _options.LowerBelowFraction;
        if (rate >= threshold || previous == 0)
        {
            // Not calm, or nothing to lower: calm is measured from here.
            _calmSince = now;
            return;
        }

        TimeSpan calm = _time.GetElapsedTime(_calmSince, now);
        long steps = calm.Ticks / _options.LowerAfter.Ticks;
        if (steps > 0)
        {
            int lowered = (int)Math.Max(0, previous - (steps * _options.StepBits));
            _calmSince = now;
            Volatile.Write(ref _difficulty, lowered);
            Log.Lowered(_logger, threshold, calm, lowered, previous);
        }
    }
}
