using System.Text.Json;
using SessionGate.Usage;

namespace SessionGate.AspNetCore.Admin;

/// <summary>The JSON of the history endpoints: a range's per-minute series and the top lists.</summary>
internal static class HistoryJson
{
    /// <summary>
    /// <c>range</c>, <c>from</c> (first minute), <c>stepSeconds</c> (60), <c>totals</c> and <c>series</c>:
    /// one array per counter, one entry per minute from <c>from</c>, the last being the current minute.
    /// </summary>
    public static void WriteSeries(Utf8JsonWriter w, HistoryRange range, HistorySeries series)
    {
        w.WriteString("range", range.Name());
        w.WriteString("from", AdminResponses.Time(series.Start));
        w.WriteNumber("stepSeconds", 60);
        w.WriteStartObject("totals");
        WriteCounts(w, series.Totals);
        w.WriteEndObject();
        w.WriteStartObject("series");
        WriteColumn(w, "requests", series, m => m.Requests);
        WriteColumn(w, "refused", series, m => m.Refused);
        WriteColumn(w, "cost", series, m => m.Cost);
        WriteColumn(w, "wouldBeRefused", series, m => m.WouldBeRefused);
        w.WriteEndObject();
    }

    /// <summary><c>{"items":[{"name",counts…}],"other":{counts…}}</c>.</summary>
    public static void WriteTopList(Utf8JsonWriter w, string property, HistoryTopList list)
    {
        w.WriteStartObject(property);
        w.WriteStartArray("items");
        foreach (HistoryTopEntry entry in list.Items)
        {
            w.WriteStartObject();
            w.WriteString("name", entry.Name);
            WriteCounts(w, entry.Counts);
            w.WriteEndObject();
        }

        w.WriteEndArray();
        w.WriteStartObject("other");
        WriteCounts(w, list.Other);
        w.WriteEndObject();
        w.WriteEndObject();
    }

    private static void WriteCounts(Utf8JsonWriter w, HistoryCounts counts)
    {
        w.WriteNumber("requests", counts.Requests);
        w.WriteNumber("refused", counts.Refused);
        w.WriteNumber("cost", counts.Cost);
        w.WriteNumber("wouldBeRefused", counts.WouldBeRefused);
    }

    private static void WriteColumn(Utf8JsonWriter w, string name, HistorySeries series, Func<HistoryCounts, long> value)
    {
        w.WriteStartArray(name);
        foreach (HistoryCounts minute in series.Minutes)
        {
            w.WriteNumberValue(value(minute));
        }

        w.WriteEndArray();
    }
}
