namespace SessionGate.Testing.Telemetry;

/// <summary>One span of an OTLP <c>ExportTraceServiceRequest</c>, with its scope and resource.</summary>
public sealed record OtlpSpan(
    string Name,
    string Scope,
    string TraceId,
    string SpanId,
    string ParentSpanId,
    int Kind,
    IReadOnlyDictionary<string, object?> Attributes,
    IReadOnlyDictionary<string, object?> Resource);

/// <summary>One data point of a metric of an OTLP <c>ExportMetricsServiceRequest</c>.</summary>
/// <param name="Value">A sum's or gauge's value (long or double), or a histogram's count (ulong).</param>
public sealed record OtlpDataPoint(IReadOnlyDictionary<string, object?> Attributes, object Value);

/// <summary>One metric (sum, gauge or histogram) with its scope (meter) and resource.</summary>
public sealed record OtlpMetric(
    string Name,
    string Scope,
    string Unit,
    string Type,
    IReadOnlyList<OtlpDataPoint> Points,
    IReadOnlyDictionary<string, object?> Resource);

/// <summary>
/// Decodes the OTLP/HTTP protobuf bodies (opentelemetry-proto: collector/trace/v1 and
/// collector/metrics/v1) with <see cref="ProtobufReader"/>: the fields a test checks, every other field
/// skipped. Field numbers are those of the proto definitions.
/// </summary>
public static class OtlpMessages
{
    public static IReadOnlyList<OtlpSpan> DecodeTraces(ReadOnlySpan<byte> body)
    {
        var spans = new List<OtlpSpan>();
        var request = new ProtobufReader(body);
        while (request.More)
        {
            (int field, int wire) = request.ReadTag();
            if (field == 1 && wire == 2)
            {
                ReadResourceItems(request.ReadBytes(), spans, ReadSpan);
            }
            else
            {
                request.Skip(wire);
            }
        }

        return spans;
    }

    public static IReadOnlyList<OtlpMetric> DecodeMetrics(ReadOnlySpan<byte> body)
    {
        var metrics = new List<OtlpMetric>();
        var request = new ProtobufReader(body);
        while (request.More)
        {
            (int field, int wire) = request.ReadTag();
            if (field == 1 && wire == 2)
            {
                ReadResourceItems(request.ReadBytes(), metrics, ReadMetric);
            }
            else
            {
                request.Skip(wire);
            }
        }

        return metrics;
    }

    // ResourceSpans / ResourceMetrics: 1 resource, 2 scope_spans / scope_metrics; each scope: 1 scope,
    // 2 spans / metrics. One reader for both shapes, given how to read one item.
    private delegate T ItemReader<T>(ReadOnlySpan<byte> data, string scope, IReadOnlyDictionary<string, object?> resource);

    private static void ReadResourceItems<T>(ReadOnlySpan<byte> data, List<T> items, ItemReader<T> readItem)
    {
        var resource = new Dictionary<string, object?>(StringComparer.Ordinal);
        var scopes = new List<byte[]>();
        var reader = new ProtobufReader(data);
        while (reader.More)
        {
            (int field, int wire) = reader.ReadTag();
            switch (field, wire)
            {
                case (1, 2): ReadResource(reader.ReadBytes(), resource); break;
                case (2, 2): scopes.Add(reader.ReadBytes().ToArray()); break;
                default: reader.Skip(wire); break;
            }
        }

        foreach (byte[] scope in scopes)
        {
            ReadScopeItems(scope, resource, items, readItem);
        }
    }

    private static void ReadScopeItems<T>(ReadOnlySpan<byte> data, IReadOnlyDictionary<string, object?> resource, List<T> items, ItemReader<T> readItem)
    {
        string scope = "";
        var raw = new List<byte[]>();
        var reader = new ProtobufReader(data);
        while (reader.More)
        {
            (int field, int wire) = reader.ReadTag();
            switch (field, wire)
            {
                case (1, 2): scope = ReadScopeName(reader.ReadBytes()); break;
                case (2, 2): raw.Add(reader.ReadBytes().ToArray()); break;
                default: reader.Skip(wire); break;
            }
        }

        foreach (byte[] item in raw)
        {
            items.Add(readItem(item, scope, resource));
        }
    }

    // Span: 1 trace_id, 2 span_id, 4 parent_span_id, 5 name, 6 kind, 9 attributes.
    private static OtlpSpan ReadSpan(ReadOnlySpan<byte> data, string scope, IReadOnlyDictionary<string, object?> resource)
    {
        string name = "", traceId = "", spanId = "", parent = "";
        int kind = 0;
        var attributes = new Dictionary<string, object?>(StringComparer.Ordinal);
        var reader = new ProtobufReader(data);
        while (reader.More)
        {
            (int field, int wire) = reader.ReadTag();
            switch (field, wire)
            {
                case (1, 2): traceId = Convert.ToHexStringLower(reader.ReadBytes()); break;
                case (2, 2): spanId = Convert.ToHexStringLower(reader.ReadBytes()); break;
                case (4, 2): parent = Convert.ToHexStringLower(reader.ReadBytes()); break;
                case (5, 2): name = reader.ReadString(); break;
                case (6, 0): kind = (int)reader.ReadVarint(); break;
                case (9, 2): ReadKeyValue(reader.ReadBytes(), attributes); break;
                default: reader.Skip(wire); break;
            }
        }

        return new OtlpSpan(name, scope, traceId, spanId, parent, kind, attributes, resource);
    }

    // Metric: 1 name, 3 unit, 5 gauge, 7 sum, 9 histogram (each: 1 data_points).
    private static OtlpMetric ReadMetric(ReadOnlySpan<byte> data, string scope, IReadOnlyDictionary<string, object?> resource)
    {
        string name = "", unit = "", type = "other";
        var points = new List<OtlpDataPoint>();
        var reader = new ProtobufReader(data);
        while (reader.More)
        {
            (int field, int wire) = reader.ReadTag();
            switch (field, wire)
            {
                case (1, 2): name = reader.ReadString(); break;
                case (3, 2): unit = reader.ReadString(); break;
                case (5, 2): type = "gauge"; ReadPoints(reader.ReadBytes(), histogram: false, points); break;
                case (7, 2): type = "sum"; ReadPoints(reader.ReadBytes(), histogram: false, points); break;
                case (9, 2): type = "histogram"; ReadPoints(reader.ReadBytes(), histogram: true, points); break;
                default: reader.Skip(wire); break;
            }
        }

        return new OtlpMetric(name, scope, unit, type, points, resource);
    }

    private static void ReadPoints(ReadOnlySpan<byte> data, bool histogram, List<OtlpDataPoint> points)
    {
        var reader = new ProtobufReader(data);
        while (reader.More)
        {
            (int field, int wire) = reader.ReadTag();
            if (field == 1 && wire == 2)
            {
                points.Add(histogram ? ReadHistogramPoint(reader.ReadBytes()) : ReadNumberPoint(reader.ReadBytes()));
            }
            else
            {
                reader.Skip(wire);
            }
        }
    }

    // NumberDataPoint: 4 as_double, 6 as_int (sfixed64), 7 attributes.
    private static OtlpDataPoint ReadNumberPoint(ReadOnlySpan<byte> data)
    {
        object value = 0L;
        var attributes = new Dictionary<string, object?>(StringComparer.Ordinal);
        var reader = new ProtobufReader(data);
        while (reader.More)
        {
            (int field, int wire) = reader.ReadTag();
            switch (field, wire)
            {
                case (4, 1): value = reader.ReadDouble(); break;
                case (6, 1): value = (long)reader.ReadFixed64(); break;
                case (7, 2): ReadKeyValue(reader.ReadBytes(), attributes); break;
                default: reader.Skip(wire); break;
            }
        }

        return new OtlpDataPoint(attributes, value);
    }

    // HistogramDataPoint: 4 count (fixed64), 9 attributes.
    private static OtlpDataPoint ReadHistogramPoint(ReadOnlySpan<byte> data)
    {
        ulong count = 0;
        var attributes = new Dictionary<string, object?>(StringComparer.Ordinal);
        var reader = new ProtobufReader(data);
        while (reader.More)
        {
            (int field, int wire) = reader.ReadTag();
            switch (field, wire)
            {
                case (4, 1): count = reader.ReadFixed64(); break;
                case (9, 2): ReadKeyValue(reader.ReadBytes(), attributes); break;
                default: reader.Skip(wire); break;
            }
        }

        return new OtlpDataPoint(attributes, count);
    }

    // Resource: 1 attributes.
    private static void ReadResource(ReadOnlySpan<byte> data, Dictionary<string, object?> attributes)
    {
        var reader = new ProtobufReader(data);
        while (reader.More)
        {
            (int field, int wire) = reader.ReadTag();
            if (field == 1 && wire == 2)
            {
                ReadKeyValue(reader.ReadBytes(), attributes);
            }
            else
            {
                reader.Skip(wire);
            }
        }
    }

    // InstrumentationScope: 1 name.
    private static string ReadScopeName(ReadOnlySpan<byte> data)
    {
        var reader = new ProtobufReader(data);
        while (reader.More)
        {
            (int field, int wire) = reader.ReadTag();
            if (field == 1 && wire == 2)
            {
                return reader.ReadString();
            }

            reader.Skip(wire);
        }

        return "";
    }

    // KeyValue: 1 key, 2 value (AnyValue).
    private static void ReadKeyValue(ReadOnlySpan<byte> data, Dictionary<string, object?> into)
    {
        string key = "";
        object? value = null;
        var reader = new ProtobufReader(data);
        while (reader.More)
        {
            (int field, int wire) = reader.ReadTag();
            switch (field, wire)
            {
                case (1, 2): key = reader.ReadString(); break;
                case (2, 2): value = ReadAnyValue(reader.ReadBytes()); break;
                default: reader.Skip(wire); break;
            }
        }

        into[key] = value;
    }

    // AnyValue: 1 string, 2 bool, 3 int64, 4 double, 5 array, 6 kvlist, 7 bytes.
    private static object? ReadAnyValue(ReadOnlySpan<byte> data)
    {
        object? value = null;
        var reader = new ProtobufReader(data);
        while (reader.More)
        {
            (int field, int wire) = reader.ReadTag();
            switch (field, wire)
            {
                case (1, 2): value = reader.ReadString(); break;
                case (2, 0): value = reader.ReadVarint() != 0; break;
                case (3, 0): value = (long)reader.ReadVarint(); break;
                case (4, 1): value = reader.ReadDouble(); break;
                case (7, 2): value = reader.ReadBytes().ToArray(); break;
                default: reader.Skip(wire); value = "(composite)"; break;
            }
        }

        return value;
    }
}
