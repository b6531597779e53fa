namespace SessionGate.Usage;

/// <summary>
/// The request-path half of the history: each stripe holds the rollup of the minute being counted.
/// A request locks one stripe (chosen by its account, prefix or route, so a name's counts of a minute
/// live in one place) — the striping of <see cref="UsageCounters"/>, which measured one lock for all
/// requests as contended. When a stripe meets a new minute it hands the finished rollup to
/// <c>completed</c>; <see cref="TakeAll"/> collects what has not been handed over yet. Each stripe
/// applies the full per-minute caps (a share would push the routes every stripe sees into "other"),
/// so the stripes hold at most stripes × caps names of the current minute; whoever merges the stripes'
/// rollups (the in-memory ring, the Redis flush) applies the caps again, so a minute keeps at most
/// the caps.
/// </summary>
internal sealed class HistoryRecorder
{
    private readonly Stripe[] _stripes;
    private readonly int _stripeMask;
    private readonly TimeProvider _time;
    private readonly Action<HistoryMinute> _completed;
    private readonly UsageHistoryLimits _stripeLimits;

    public HistoryRecorder(TimeProvider time, UsageHistoryLimits limits, Action<HistoryMinute> completed, int stripes = 0)
    {
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(limits);
        ArgumentNullException.ThrowIfNull(completed);
        limits.Validate();
        _time = time;
        _completed = completed;
        int count = stripes > 0
            ? (int)System.Numerics.BitOperations.RoundUpToPowerOf2((uint)stripes)
            : (int)Math.Clamp(System.Numerics.BitOperations.RoundUpToPowerOf2((uint)Environment.ProcessorCount * 2), 4, 16);
        _stripeMask = count - 1;
        _stripes = [.. Enumerable.Range(0, count).Select(_ => new Stripe())];
        _stripeLimits = limits;
    }

    /// <summary>The minute being counted (Unix time / 60).</summary>
    public long CurrentMinute => MinuteOf(_time.GetUtcNow());

    public TimeProvider Time => _time;

    public static long MinuteOf(DateTimeOffset time) => Math.DivRem(time.ToUnixTimeSeconds(), 60, out long rest) - (rest < 0 ? 1 : 0);

    public void Record(in UsageHistoryEntry entry)
    {
        string? account = entry.Account;
        string? prefix = account is null ? AddressPrefix.Of(entry.ClientAddress) ?? HistoryMinute.Other : null;
        string? route = entry.Route is null ? null : CountableName(entry.Route);
        var counts = new HistoryCounts(1, entry.Refused ? 1 : 0, Math.Max(0, entry.Cost), entry.WouldBeRefused ? 1 : 0);
        Stripe stripe = StripeOf(account ?? prefix!);
        HistoryMinute? finished = null;
        lock (stripe.Lock)
        {
            HistoryMinute minute = stripe.CurrentFor(CurrentMinute, ref finished);
            minute.AddOverall(counts);
            if (account is not null)
            {
                minute.Add(HistoryDimension.Account, account, counts, _stripeLimits.MaxAccountsPerMinute);
            }
            else
            {
                minute.Add(HistoryDimension.Prefix, prefix!, counts, _stripeLimits.MaxPrefixesPerMinute);
            }

            if (route is not null)
            {
                minute.Add(HistoryDimension.Route, route, counts, _stripeLimits.MaxRoutesPerMinute);
            }
        }

        HandOver(finished);
    }

    public void RecordMethodCall(string method, long cost, bool refused, bool wouldBeRefused)
    {
        string name = CountableName(method ?? "");
        var counts = new HistoryCounts(1, refused ? 1 : 0, Math.Max(0, cost), wouldBeRefused ? 1 : 0);
        Stripe stripe = StripeOf(name);
        HistoryMinute? finished = null;
        lock (stripe.Lock)
        {
            stripe.CurrentFor(CurrentMinute, ref finished).Add(HistoryDimension.Method, name, counts, _stripeLimits.MaxMethodsPerMinute);
        }

        HandOver(finished);
    }

    /// <summary>Everything not handed over yet: finished minutes whole, the current minute's counts since the last call.</summary>
    public List<HistoryMinute> TakeAll()
    {
        long now = CurrentMinute;
        var taken = new List<HistoryMinute>();
        foreach (Stripe stripe in _stripes)
        {
            lock (stripe.Lock)
            {
                if (stripe.Minute is not { } minute)
                {
                    continue;
                }

                if (minute.Minute != now)
                {
                    stripe.Minute = null;
                    if (!minute.IsEmpty)
                    {
                        taken.Add(minute);
                    }
                }
                else if (minute.TakeDelta() is { } delta)
                {
                    taken.Add(delta);
                }
            }
        }

        return taken;
    }

    /// <summary>A route id or method counted by name, or <see cref="HistoryMinute.Other"/> when it is too long or not printable ASCII (spaces allowed: endpoint names have them).</summary>
    internal static string CountableName(string name)
    {
        if (name.Length is 0 or > UsageHistoryLimits.MaxNameLength)
        {
            return HistoryMinute.Other;
        }

        foreach (char c in name)
        {
            if (c is < ' ' or > '~')
            {
                return HistoryMinute.Other;
            }
        }

        return name;
    }

    private Stripe StripeOf(string key) => _stripes[key.GetHashCode() & _stripeMask];

    // Outside the stripe's lock: the in-memory ring and the pending flush take their own locks.
    private void HandOver(HistoryMinute? finished)
    {
        if (finished is { IsEmpty: false })
        {
            _completed(finished);
        }
    }

    private sealed class Stripe
    {
        public Lock Lock { get; } = new();

        public HistoryMinute? Minute { get; set; }

        /// <summary>The rollup of <paramref name="now"/>; a rollup of another minute is replaced and returned in <paramref name="finished"/>. Call under <see cref="Lock"/>.</summary>
        public HistoryMinute CurrentFor(long now, ref HistoryMinute? finished)
        {
            if (Minute is { } minute && minute.Minute == now)
            {
                return minute;
            }

            finished = Minute;
            Minute = new HistoryMinute(now);
            return Minute;
        }
    }
}
