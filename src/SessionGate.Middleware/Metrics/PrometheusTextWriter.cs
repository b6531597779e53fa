using System.Globalization;
using System.Text;

namespace SessionGate.AspNetCore.Metrics;

/// <summary>
/// Writes the Prometheus text exposition format 0.0.4: per family one <c># HELP</c> and one
/// <c># TYPE</c> line, then its samples; label values and help text escaped as the format requires.
/// </summary>
internal static class PrometheusTextWriter
{
    /// <summary>The content type Prometheus asks for and accepts.</summary>
    public const string ContentType = "text/plain; version=0.0.4; charset=utf-8";

    public static string Write(IReadOnlyList<InstrumentState> instruments)
    {
        var text = new StringBuilder(4096);

        // Two instruments may map to one name (e.g. the same name on two meters); a family is
        // written once, and an instrument whose kind disagrees with the family's is left out
        // rather than producing an exposition Prometheus would reject.
        foreach (IGrouping<string, InstrumentState> family in instruments.GroupBy(i => i.Name, StringComparer.Ordinal))
        {
            InstrumentState first = family.First();
            InstrumentState[] members = family.Where(i => i.Kind == first.Kind).ToArray();
            if (members.All(m => m.Series.Count == 0))
            {
                continue;
            }

            text.Append("# HELP ").Append(first.Name).Append(' ').Append(EscapeHelp(first.Instrument.Description ?? first.Instrument.Name)).Append('\n');
            text.Append("# TYPE ").Append(first.Name).Append(' ').Append(TypeName(first.Kind)).Append('\n');
            foreach (InstrumentState member in members)
            {
                foreach (MetricSeries series in member.Series)
                {
                    if (member.Kind == MetricKind.Histogram)
                    {
                        WriteHistogram(text, member, series);
                    }
                    else
                    {
                        WriteSample(text, member.Name, series.Labels, extraLabel: null, series.Value);
                    }
                }
            }
        }

        return text.ToString();
    }

    private static void WriteHistogram(StringBuilder text, InstrumentState instrument, MetricSeries series)
    {
        long cumulative = 0;
        for (int i = 0; i <= instrument.Bounds.Length; i++)
        {
            cumulative += series.BucketCount(i);
            string le = i < instrument.Bounds.Length ? FormatValue(instrument.Bounds[i]) : "+Inf";
            WriteSample(text, instrument.Name + "_bucket", series.Labels, new("le", le), cumulative);
        }

        WriteSample(text, instrument.Name + "_sum", series.Labels, extraLabel: null, series.Value);
        WriteSample(text, instrument.Name + "_count", series.Labels, extraLabel: null, series.Count);
    }

    private static void WriteSample(StringBuilder text, string name, KeyValuePair<string, string>[] labels, KeyValuePair<string, string>? extraLabel, double value)
    {
        text.Append(name);
        if (labels.Length > 0 || extraLabel is not null)
        {
            text.Append('{');
            bool first = true;
            foreach (KeyValuePair<string, string> label in extraLabel is { } extra ? [.. labels, extra] : labels)
            {
                if (!first)
                {
                    text.Append(',');
                }

                first = false;
                text.Append(label.Key).Append("=\"");
                AppendEscapedLabelValue(text, label.Value);
                text.Append('"');
            }

            text.Append('}');
        }

        text.Append(' ').Append(FormatValue(value)).Append('\n');
    }

    private static string TypeName(MetricKind kind) => kind switch
    {
        MetricKind.Counter => "counter",
        MetricKind.Histogram => "histogram",
        _ => "gauge",
    };

    internal static string FormatValue(double value) => value switch
    {
        double.PositiveInfinity => "+Inf",
        double.NegativeInfinity => "-Inf",
        _ when double.IsNaN(value) => "NaN",
        _ => value.ToString("R", CultureInfo.InvariantCulture),
    };

    private static void AppendEscapedLabelValue(StringBuilder text, string value)
    {
        foreach (char c in value)
        {
            _ = c switch
            {
                '\\' => text.Append(@"\\"),
                '"' => text.Append("\\\""),
                '\n' => text.Append(@"\n"),
                _ => text.Append(c),
            };
        }
    }

    private static string EscapeHelp(string help) => help.Replace("\\", @"\\", StringComparison.Ordinal).Replace("\n", @"\n", StringComparison.Ordinal);
}
