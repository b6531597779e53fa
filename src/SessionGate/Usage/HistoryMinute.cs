using System.Runtime.InteropServices;

namespace SessionGate.Usage;

/// <summary>
/// One minute's rollup: overall counts and counts per name in each <see cref="HistoryDimension"/>,
/// each dimension capped (names beyond the cap count under <see cref="Other"/>). Not thread-safe:
/// its owner (a recorder stripe, the in-memory ring, a pending flush) locks around it.
/// </summary>
internal sealed class HistoryMinute
{
    /// <summary>The name of every dimension's overflow bucket. No account, prefix, route id or counted method is empty.</summary>
    public const string Other = "";

    private static readonly HistoryDimension[] AllDimensions = [HistoryDimension.Account, HistoryDimension.Prefix, HistoryDimension.Route, HistoryDimension.Method];

    private readonly Dictionary<string, HistoryCounts>[] _dimensions =
        [new(StringComparer.Ordinal), new(StringComparer.Ordinal), new(StringComparer.Ordinal), new(StringComparer.Ordinal)];

    public HistoryMinute(long minute) => Minute = minute;

    /// <summary>The minute counted (Unix time / 60).</summary>
    public long Minute { get; private set; }

    public HistoryCounts Overall { get; private set; }

    public bool IsEmpty => Overall.IsEmpty && _dimensions[(int)HistoryDimension.Method].Count == 0;

    /// <summary>Forgets everything and starts counting <paramref name="minute"/>.</summary>
    public void Reset(long minute)
    {
        Minute = minute;
        Overall = default;
        foreach (Dictionary<string, HistoryCounts> names in _dimensions)
        {
            names.Clear();
        }
    }

    public void AddOverall(in HistoryCounts counts) => Overall += counts;

    /// <summary>Adds to <paramref name="name"/>'s counts, or to <see cref="Other"/> when the dimension already holds <paramref name="cap"/> names.</summary>
    public void Add(HistoryDimension dimension, string name, in HistoryCounts counts, int cap)
    {
        Dictionary<string, HistoryCounts> names = _dimensions[(int)dimension];
        ref HistoryCounts slot = ref CollectionsMarshal.GetValueRefOrNullRef(names, name);
        if (System.Runtime.CompilerServices.Unsafe.IsNullRef(ref slot))
        {
            // The cap counts named entries; "other" itself never takes a named place.
            int named = names.Count - (names.ContainsKey(Other) ? 1 : 0);
            slot = ref CollectionsMarshal.GetValueRefOrAddDefault(names, name.Length > 0 && named < cap ? name : Other, out _);
        }

        slot += counts;
    }

    /// <summary>The names counted in <paramref name="dimension"/> (<see cref="Other"/> included when used).</summary>
    public IReadOnlyDictionary<string, HistoryCounts> Names(HistoryDimension dimension) => _dimensions[(int)dimension];

    /// <summary>Adds <paramref name="other"/>'s counts (of the same minute), under <paramref name="limits"/>.</summary>
    public void MergeFrom(HistoryMinute other, UsageHistoryLimits limits)
    {
        Overall += other.Overall;
        foreach (HistoryDimension dimension in AllDimensions)
        {
            foreach ((string name, HistoryCounts counts) in other._dimensions[(int)dimension])
            {
                Add(dimension, name, counts, limits.CapOf(dimension));
            }
        }
    }

    /// <summary>
    /// A copy of the counts added since the last call, leaving zeros behind: the names stay, so they
    /// keep their places under the caps for the rest of the minute. Null when nothing was added.
    /// </summary>
    public HistoryMinute? TakeDelta()
    {
        var delta = new HistoryMinute(Minute) { Overall = Overall };
        bool any = !Overall.IsEmpty;
        Overall = default;
        foreach (HistoryDimension dimension in AllDimensions)
        {
            Dictionary<string, HistoryCounts> names = _dimensions[(int)dimension];
            foreach (string name in names.Keys)
            {
                ref HistoryCounts counts = ref CollectionsMarshal.GetValueRefOrNullRef(names, name);
                if (!counts.IsEmpty)
                {
                    delta._dimensions[(int)dimension].Add(name, counts);
                    counts = default;
                    any = true;
                }
            }
        }

        return any ? delta : null;
    }
}
