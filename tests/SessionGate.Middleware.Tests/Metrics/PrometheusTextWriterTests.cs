using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using SessionGate.AspNetCore.Configuration;
using SessionGate.AspNetCore.Metrics;
using SessionGate.Testing.Metrics;

namespace SessionGate.Middleware.Tests.Metrics;

/// <summary>The collector and the text format, on a meter factory of their own.</summary>
public sealed class PrometheusTextWriterTests : IDisposable
{
    private readonly ServiceProvider _services = new ServiceCollection().AddMetrics().BuildServiceProvider();

    private IMeterFactory Factory => _services.GetRequiredService<IMeterFactory>();

    [Fact]
    public void Counter_IsExposedWithTotalSuffixAndSanitisedLabels()
    {
        using MetricsCollector collector = Collector();
        Counter<long> counter = Factory.Create("SessionGate").CreateCounter<long>("sessiongate.test.things", "{thing}", "Things counted.");
        counter.Add(2, new KeyValuePair<string, object?>("sessiongate.kind", "a"));
        counter.Add(3, new KeyValuePair<string, object?>("sessiongate.kind", "a"));
        counter.Add(1, new KeyValuePair<string, object?>("sessiongate.kind", "b"));

        string text = Scrape(collector);

        Assert.Contains("# HELP sessiongate_test_things_total Things counted.\n# TYPE sessiongate_test_things_total counter\n", text, StringComparison.Ordinal);
        PrometheusExposition exposition = PrometheusExposition.Parse(text);
        Assert.Equal(5, exposition.Sum("sessiongate_test_things_total", ("sessiongate_kind", "a")));
        Assert.Equal(1, exposition.Sum("sessiongate_test_things_total", ("sessiongate_kind", "b")));
    }

    [Fact]
    public void TagOrder_DoesNotSplitASeries()
    {
        using MetricsCollector collector = Collector();
        Counter<int> counter = Factory.Create("SessionGate").CreateCounter<int>("sessiongate.test.ordered");
        counter.Add(1, new("a", "1"), new("b", true));
        counter.Add(1, new("b", true), new("a", "1"));

        PrometheusExposition exposition = PrometheusExposition.Parse(Scrape(collector));

        PrometheusExposition.Sample sample = Assert.Single(exposition.Samples, s => s.Name == "sessiongate_test_ordered_total");
        Assert.Equal(2, sample.Value);
        Assert.Equal("true", sample.Labels["b"]);
    }

    [Fact]
    public void LabelValuesAndHelp_AreEscaped()
    {
        using MetricsCollector collector = Collector();
        Factory.Create("SessionGate").CreateUpDownCounter<double>("sessiongate.test.escaped", null, "line one\nback\\slash")
            .Add(-1.5, new KeyValuePair<string, object?>("path", "a\"b\\c\nd"));

        string text = Scrape(collector);

        Assert.Contains(@"# HELP sessiongate_test_escaped line one\nback\\slash", text, StringComparison.Ordinal);
        Assert.Contains("sessiongate_test_escaped{path=\"a\\\"b\\\\c\\nd\"} -1.5\n", text, StringComparison.Ordinal);
        PrometheusExposition exposition = PrometheusExposition.Parse(text);
        Assert.Equal("gauge", exposition.Types["sessiongate_test_escaped"]);
        Assert.Equal("a\"b\\c\nd", exposition.Samples.Single().Labels["path"]);
    }

    [Fact]
    public void Histogram_HasCumulativeBucketsSumAndCount_WithTheUnitInItsName()
    {
        using MetricsCollector collector = Collector();
        Histogram<double> histogram = Factory.Create("SessionGate").CreateHistogram<double>(
            "sessiongate.test.duration", "s", "Durations.", tags: null, new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.1, 1] });
        foreach (double value in new[] { 0.05, 0.1, 0.5, 2, 3 })
        {
            histogram.Record(value);
        }

        string text = Scrape(collector);
        PrometheusExposition exposition = PrometheusExposition.Parse(text);

        Assert.Equal("histogram", exposition.Types["sessiongate_test_duration_seconds"]);
        Assert.Equal(2, exposition.Sum("sessiongate_test_duration_seconds_bucket", ("le", "0.1")));   // le is inclusive
        Assert.Equal(3, exposition.Sum("sessiongate_test_duration_seconds_bucket", ("le", "1")));
        Assert.Equal(5, exposition.Sum("sessiongate_test_duration_seconds_bucket", ("le", "+Inf")));
        Assert.Equal(5, exposition.Sum("sessiongate_test_duration_seconds_count"));
        Assert.Equal(5.65, exposition.Sum("sessiongate_test_duration_seconds_sum"), 9);
    }

    [Fact]
    public void ObservableGauges_ReportTheirCurrentValue_AndForgetTagSetsNoLongerReported()
    {
        using MetricsCollector collector = Collector();
        var values = new List<Measurement<long>> { new(5, new KeyValuePair<string, object?>("k", "old")) };
        Factory.Create("SessionGate").CreateObservableGauge("sessiongate.test.level", () => values.ToArray());

        Assert.Equal(5, PrometheusExposition.Parse(Scrape(collector)).Sum("sessiongate_test_level", ("k", "old")));
        values[0] = new(7, new KeyValuePair<string, object?>("k", "new"));
        PrometheusExposition second = PrometheusExposition.Parse(Scrape(collector));

        Assert.Equal(7, second.Sum("sessiongate_test_level", ("k", "new")));
        Assert.DoesNotContain(second.Samples, s => s.Labels.TryGetValue("k", out string? v) && v == "old");
    }

    [Fact]
    public void OnlyConfiguredMetersOfThisHost_AreExposed()
    {
        using MetricsCollector collector = Collector();
        using var otherHost = new ServiceCollection().AddMetrics().BuildServiceProvider();
        otherHost.GetRequiredService<IMeterFactory>().Create("SessionGate").CreateCounter<long>("sessiongate.test.elsewhere").Add(1);
        Factory.Create("Unlisted.Meter").CreateCounter<long>("unlisted.things").Add(1);
        Factory.Create("SessionGate").CreateCounter<long>("sessiongate.test.here").Add(1);

        string text = Scrape(collector);

        Assert.Contains("sessiongate_test_here_total 1\n", text, StringComparison.Ordinal);
        Assert.DoesNotContain("elsewhere", text, StringComparison.Ordinal);
        Assert.DoesNotContain("unlisted", text, StringComparison.Ordinal);
    }

    [Fact]
    public void SeriesPerInstrument_AreCapped()
    {
        using MetricsCollector collector = Collector();
        Counter<long> counter = Factory.Create("SessionGate").CreateCounter<long>("sessiongate.test.cardinality");
        for (int i = 0; i < InstrumentState.MaxSeries + 500; i++)
        {
            counter.Add(1, new KeyValuePair<string, object?>("id", i));
        }

        PrometheusExposition exposition = PrometheusExposition.Parse(Scrape(collector));

        Assert.Equal(InstrumentState.MaxSeries, exposition.Samples.Count(s => s.Name == "sessiongate_test_cardinality_total"));
    }

    [Theory]
    [InlineData(double.PositiveInfinity, "+Inf")]
    [InlineData(double.NegativeInfinity, "-Inf")]
    [InlineData(double.NaN, "NaN")]
    [InlineData(0.1, "0.1")]
    [InlineData(1e21, "1E+21")]
    public void Values_UseTheFormatsSpelling(double value, string expected) =>
        Assert.Equal(expected, PrometheusTextWriter.FormatValue(value));

    public void Dispose() => _services.Dispose();

    private MetricsCollector Collector() => new(Options.Create(new SessionGateOptions()), Factory);

    private static string Scrape(MetricsCollector collector) => PrometheusTextWriter.Write(collector.Collect());
}
