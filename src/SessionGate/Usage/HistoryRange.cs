using System.Diagnostics.CodeAnalysis;

namespace SessionGate.Usage;

/// <summary>The ranges the history is read over: the last hour, 6 hours or 24 hours, ending with the current minute.</summary>
public enum HistoryRange
{
    /// <summary>60 minutes (<c>1h</c>).</summary>
    OneHour = 60,

    /// <summary>360 minutes (<c>6h</c>).</summary>
    SixHours = 360,

    /// <summary>1440 minutes (<c>24h</c>).</summary>
    Day = 1440,
}

/// <summary>The names of <see cref="HistoryRange"/> in the admin API (<c>1h</c>, <c>6h</c>, <c>24h</c>).</summary>
public static class HistoryRanges
{
    /// <summary>The names accepted by <see cref="TryParse"/>.</summary>
    public static IReadOnlyList<string> Names { get; } = ["1h", "6h", "24h"];

    /// <summary>Minutes in <paramref name="range"/>.</summary>
    public static int Minutes(this HistoryRange range) => (int)range;

    /// <summary>The range's name in the admin API.</summary>
    public static string Name(this HistoryRange range) => range switch
    {
        HistoryRange.OneHour => "1h",
        HistoryRange.SixHours => "6h",
        HistoryRange.Day => "24h",
        _ => throw new ArgumentOutOfRangeException(nameof(range)),
    };

    /// <summary>Parses <c>1h</c>, <c>6h</c> or <c>24h</c> (exactly; anything else is false).</summary>
    public static bool TryParse([NotNullWhen(true)] string? text, out HistoryRange range)
    {
        (bool ok, range) = text switch
        {
            "1h" => (true, HistoryRange.OneHour),
            "6h" => (true, HistoryRange.SixHours),
            "24h" => (true, HistoryRange.Day),
            _ => (false, HistoryRange.OneHour),
        };
        return ok;
    }
}
