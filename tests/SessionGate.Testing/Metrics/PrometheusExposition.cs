using System.Globalization;
using System.Text.RegularExpressions;

namespace SessionGate.Testing.Metrics;

/// <summary>
/// A strict parser of the Prometheus text format 0.0.4, written from the format's specification so a
/// test fails on anything a Prometheus server would reject: every sample belongs to a family declared
/// by one HELP and one TYPE line, names and label names are valid, label values are properly escaped,
/// values are numbers, histogram buckets are cumulative and end in +Inf equal to _count.
/// </summary>
public sealed partial class PrometheusExposition
{
    private PrometheusExposition(Dictionary<string, string> types, List<Sample> samples)
    {
        Types = types;
        Samples = samples;
    }

    /// <summary>Family name → counter, gauge, histogram, summary or untyped.</summary>
    public IReadOnlyDictionary<string, string> Types { get; }

    public IReadOnlyList<Sample> Samples { get; }

    /// <summary>The sum of the samples named <paramref name="name"/> whose labels include all of <paramref name="labels"/>.</summary>
    public double Sum(string name, params (string Name, string Value)[] labels) =>
        Samples.Where(s => s.Name == name && labels.All(l => s.Labels.TryGetValue(l.Name, out string? v) && v == l.Value)).Sum(s => s.Value);

    public bool Has(string name) => Samples.Any(s => s.Name == name);

    public static PrometheusExposition Parse(string text)
    {
        var types = new Dictionary<string, string>(StringComparer.Ordinal);
        var helps = new HashSet<string>(StringComparer.Ordinal);
        var samples = new List<Sample>();
        var finished = new HashSet<string>(StringComparer.Ordinal);
        string? currentFamily = null;
        Assert.True(text.Length == 0 || text.EndsWith('\n'), "the exposition ends with a line feed");
        string[] lines = text.Split('\n');
        for (int i = 0; i < lines.Length - 1; i++)
        {
            string line = lines[i];
            Assert.False(line.Contains('\r'), $"line {i + 1}: no carriage returns");
            if (line.StartsWith("# HELP ", StringComparison.Ordinal))
            {
                string name = line[7..].Split(' ', 2)[0];
                Assert.Matches(MetricName(), name);
                Assert.True(helps.Add(name), $"line {i + 1}: one HELP per family ({name})");
                Assert.False(types.ContainsKey(name), $"line {i + 1}: HELP before TYPE ({name})");
                AssertHelpEscapes(line[(7 + name.Length)..], i + 1);
                continue;
            }

            if (line.StartsWith("# TYPE ", StringComparison.Ordinal))
            {
                string[] parts = line[7..].Split(' ');
                Assert.Equal(2, parts.Length);
                Assert.Contains(parts[1], new[] { "counter", "gauge", "histogram", "summary", "untyped" });
                Assert.True(types.TryAdd(parts[0], parts[1]), $"line {i + 1}: one TYPE per family ({parts[0]})");
                continue;
            }

            Assert.False(line.StartsWith('#'), $"line {i + 1}: unknown comment form");
            Assert.False(line.Length == 0, $"line {i + 1}: no empty lines");
            Sample sample = ParseSample(line, i + 1);
            string family = FamilyOf(sample.Name, types);
            Assert.True(types.ContainsKey(family), $"line {i + 1}: sample {sample.Name} has no TYPE line before it");
            if (family != currentFamily)
            {
                Assert.True(finished.Add(family), $"line {i + 1}: the samples of {family} are not grouped together");
                currentFamily = family;
            }

            samples.Add(sample);
        }

        var exposition = new PrometheusExposition(types, samples);
        exposition.CheckHistograms();
        return exposition;
    }

    // In HELP text only \\ and \n are escapes.
    private static void AssertHelpEscapes(string help, int number)
    {
        for (int i = 0; i < help.Length; i++)
        {
            if (help[i] == '\\')
            {
                Assert.True(i + 1 < help.Length && help[i + 1] is '\\' or 'n', $"line {number}: bad escape in HELP");
                i++;
            }
        }
    }

    private void CheckHistograms()
    {
        foreach (string family in Types.Where(t => t.Value == "histogram").Select(t => t.Key))
        {
            foreach (IGrouping<string, Sample> series in Samples.Where(s => s.Name == family + "_bucket").GroupBy(s => LabelKey(s, without: "le")))
            {
                double previous = 0;
                foreach (Sample bucket in series)
                {
                    Assert.True(bucket.Value >= previous, $"{family}: buckets are cumulative");
                    previous = bucket.Value;
                }

                Assert.Equal("+Inf", series.Last().Labels["le"]);
                Sample count = Samples.Single(s => s.Name == family + "_count" && LabelKey(s, without: null) == series.Key);
                Assert.Equal(count.Value, series.Last().Value);
                Assert.Single(Samples, s => s.Name == family + "_sum" && LabelKey(s, without: null) == series.Key);
            }
        }
    }

    private static string LabelKey(Sample sample, string? without) =>
        string.Join(",", sample.Labels.Where(l => l.Key != without).OrderBy(l => l.Key, StringComparer.Ordinal).Select(l => l.Key + "=" + l.Value));

    private static string FamilyOf(string sampleName, Dictionary<string, string> types)
    {
        foreach (string suffix in new[] { "_bucket", "_sum", "_count" })
        {
            if (sampleName.EndsWith(suffix, StringComparison.Ordinal) && types.TryGetValue(sampleName[..^suffix.Length], out string? type) && type is "histogram" or "summary")
            {
                return sampleName[..^suffix.Length];
            }
        }

        return sampleName;
    }

    private static Sample ParseSample(string line, int number)
    {
        Match name = MetricNamePrefix().Match(line);
        Assert.True(name.Success, $"line {number}: a sample starts with a metric name: {line}");
        int position = name.Length;
        var labels = new Dictionary<string, string>(StringComparer.Ordinal);
        if (position < line.Length && line[position] == '{')
        {
            position++;
            while (line[position] != '}')
            {
                Match labelName = LabelNamePrefix().Match(line, position);
                Assert.True(labelName.Success && labelName.Index == position, $"line {number}: label name at {position}");
                position += labelName.Length;
                Assert.True(line[position] == '=' && line[position + 1] == '"', $"line {number}: =\" after a label name");
                position += 2;
                var value = new System.Text.StringBuilder();
                while (line[position] != '"')
                {
                    if (line[position] == '\\')
                    {
                        char escaped = line[position + 1];
                        Assert.True(escaped is '\\' or '"' or 'n', $"line {number}: only \\\\, \\\" and \\n escapes");
                        value.Append(escaped == 'n' ? '\n' : escaped);
                        position += 2;
                    }
                    else
                    {
                        value.Append(line[position++]);
                    }
                }

                position++;
                Assert.True(labels.TryAdd(labelName.Value, value.ToString()), $"line {number}: duplicate label {labelName.Value}");
                if (line[position] == ',')
                {
                    position++;
                }
            }

            position++;
        }

        Assert.True(position < line.Length && line[position] == ' ', $"line {number}: a space before the value");
        string[] rest = line[(position + 1)..].Split(' ');
        Assert.True(rest.Length is 1 or 2, $"line {number}: value and optional timestamp");
        double parsed = rest[0] switch
        {
            "+Inf" => double.PositiveInfinity,
            "-Inf" => double.NegativeInfinity,
            "NaN" => double.NaN,
            _ => double.Parse(rest[0], NumberStyles.Float, CultureInfo.InvariantCulture),
        };
        return new Sample(name.Value, labels, parsed);
    }

    [GeneratedRegex("^[a-zA-Z_:][a-zA-Z0-9_:]*$")]
    private static partial Regex MetricName();

    [GeneratedRegex("^[a-zA-Z_:][a-zA-Z0-9_:]*")]
    private static partial Regex MetricNamePrefix();

    [GeneratedRegex("[a-zA-Z_][a-zA-Z0-9_]*")]
    private static partial Regex LabelNamePrefix();

    public sealed record Sample(string Name, IReadOnlyDictionary<string, string> Labels, double Value);
}
