using SessionGate.Testing.Telemetry;

namespace SessionGate.Middleware.Tests.Telemetry;

/// <summary>The test kit's protobuf reader decodes what it should and refuses broken input (so the OTLP test can fail).</summary>
public sealed class ProtobufReaderTests
{
    [Fact]
    public void DecodeTraces_HandWrittenRequest_ReadsNameScopeAndAttributes()
    {
        // ExportTraceServiceRequest{ resource_spans{ scope_spans{ scope{name "S"} spans{ name "n", kind 1, attributes{key "k", value{int 7}} } } } }
        byte[] keyValue = [0x0A, 0x01, (byte)'k', 0x12, 0x02, 0x18, 0x07];
        byte[] span = [0x2A, 0x01, (byte)'n', 0x30, 0x01, 0x4A, (byte)keyValue.Length, .. keyValue];
        byte[] scope = [0x0A, 0x01, (byte)'S'];
        byte[] scopeSpans = [0x0A, (byte)scope.Length, .. scope, 0x12, (byte)span.Length, .. span];
        byte[] resourceSpans = [0x12, (byte)scopeSpans.Length, .. scopeSpans];
        byte[] request = [0x0A, (byte)resourceSpans.Length, .. resourceSpans];

        OtlpSpan decoded = Assert.Single(OtlpMessages.DecodeTraces(request));

        Assert.Equal(("n", "S", 1), (decoded.Name, decoded.Scope, decoded.Kind));
        Assert.Equal(7L, decoded.Attributes["k"]);
    }

    public static TheoryData<byte[]> Broken => new()
    {
        new byte[] { 0x0A, 0x05, 0x01 },                     // length past the end
        new byte[] { 0x0B },                                 // wire type 3 (group)
        new byte[] { 0x08, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01 },   // 11-byte varint
        new byte[] { 0x00, 0x01 },                           // field number 0
        new byte[] { 0x09, 0x01, 0x02 },                     // truncated fixed64
    };

    [Theory]
    [MemberData(nameof(Broken))]
    public void DecodeTraces_Broken_Throws(byte[] body)
    {
        Assert.Throws<FormatException>(() => OtlpMessages.DecodeTraces(body));
    }
}
