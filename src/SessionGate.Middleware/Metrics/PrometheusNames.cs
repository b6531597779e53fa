using System.Text;

namespace SessionGate.AspNetCore.Metrics;

/// <summary>
/// Maps OpenTelemetry-style instrument names to Prometheus names, as OpenTelemetry's Prometheus
/// exporters do: invalid characters become '_', a unit becomes a suffix (<c>s</c> → <c>_seconds</c>),
/// counters end in <c>_total</c>. So <c>sessiongate.ratelimit.decisions</c> is scraped as
/// <c>sessiongate_ratelimit_decisions_total</c>.
/// </summary>
internal static class PrometheusNames
{
    public static string MetricName(string instrumentName, string? unit, MetricKind kind)
    {
        string name = Sanitize(instrumentName, allowColon: true);
        string suffix = UnitSuffix(unit);
        if (suffix.Length > 0 && !name.EndsWith(suffix, StringComparison.Ordinal))
        {
            name += suffix;
        }

        if (kind == MetricKind.Counter && !name.EndsWith("_total", StringComparison.Ordinal))
        {
            name += "_total";
        }

        return name;
    }

    public static string LabelName(string tagName)
    {
        string name = Sanitize(tagName, allowColon: false);

        // Names starting with "__" are reserved for Prometheus's internal use.
        return name.StartsWith("__", StringComparison.Ordinal) ? "_" + name.TrimStart('_') : name;
    }

    // Annotations in braces ({request}) are not units; "1" (a ratio) gets no suffix either.
    private static string UnitSuffix(string? unit) => unit switch
    {
        "s" => "_seconds",
        "ms" => "_milliseconds",
        "By" => "_bytes",
        _ => "",
    };

    private static string Sanitize(string text, bool allowColon)
    {
        if (text.Length == 0)
        {
            return "_";
        }

        var builder = new StringBuilder(text.Length);
        for (int i = 0; i < text.Length; i++)
        {
            char c = text[i];
            bool valid = c is (>= 'a' and <= 'z') or (>= 'A' and <= 'Z') or '_' || (allowColon && c == ':') || (i > 0 && c is >= '0' and <= '9');
            builder.Append(valid ? c : '_');
        }

        return builder.ToString();
    }
}
