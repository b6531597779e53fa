using System.Text.Json.Serialization;
using SessionGate.Crypto;

namespace SessionGate.Tests.Crypto;

/// <summary>RFC 9496 Appendix A test vectors for ristretto255.</summary>
public sealed class Ristretto255VectorTests
{
    private static readonly RfcVectors Vectors = VectorFiles.Load<RfcVectors>("ristretto255-rfc9496.json");

    [Fact]
    public void BasepointMul_MultiplesOfGenerator_EncodeAsRfc9496()
    {
        Assert.Equal(16, Vectors.Multiples.Length);
        foreach (Multiple m in Vectors.Multiples)
        {
            byte[] scalar = new byte[32];
            scalar[0] = (byte)m.Value;
            Assert.Equal(m.Encoding, Hex.Encode(Ristretto255.Encode(ScalarMultiplication.BasepointMul(scalar))));
        }
    }

    [Fact]
    public void TryDecode_MultiplesOfGenerator_DecodeAndReencodeIdentically()
    {
        foreach (Multiple m in Vectors.Multiples)
        {
            Assert.True(Ristretto255.TryDecode(Hex.Decode(m.Encoding), out EdwardsPoint point), m.Encoding);
            Assert.Equal(m.Encoding, Hex.Encode(Ristretto255.Encode(point)));
        }
    }

    [Fact]
    public void TryDecode_BadEncodings_AreRejected()
    {
        Assert.True(Vectors.InvalidEncodings.Length >= 29);
        Assert.All(Vectors.InvalidEncodings, bad => Assert.False(Ristretto255.TryDecode(Hex.Decode(bad.Encoding), out _), bad.Reason));
    }

    [Fact]
    public void FromUniformBytes_RfcInputs_GiveRfcElements()
    {
        Assert.NotEmpty(Vectors.FromUniformBytes);
        foreach (UniformVector v in Vectors.FromUniformBytes)
        {
            Assert.Equal(v.Output, Hex.Encode(Ristretto255.Encode(Ristretto255.FromUniformBytes(Hex.Decode(v.Input)))));
        }
    }

    [Fact]
    public void SqrtRatioM1_RfcCases_MatchRfc()
    {
        foreach (SqrtRatioVector v in Vectors.SqrtRatio)
        {
            (ulong wasSquare, FieldElement root) = FieldElement.SqrtRatioM1(FieldElement.FromBytes(Hex.Decode(v.U)), FieldElement.FromBytes(Hex.Decode(v.V)));
            byte[] encoded = new byte[32];
            root.ToBytes(encoded);
            Assert.Equal(v.WasSquare, wasSquare == 1);
            Assert.Equal(v.R, Hex.Encode(encoded));
        }
    }

    [Fact]
    public void TryDecode_WrongLengths_AreRejectedWithoutThrowing()
    {
        Assert.False(Ristretto255.TryDecode([], out _));
        Assert.False(Ristretto255.TryDecode(new byte[31], out _));
        Assert.False(Ristretto255.TryDecode(new byte[33], out _));
    }

    internal sealed record RfcVectors(
        [property: JsonPropertyName("multiples_of_generator")] Multiple[] Multiples,
        [property: JsonPropertyName("invalid_encodings")] BadEncoding[] InvalidEncodings,
        [property: JsonPropertyName("from_uniform_bytes")] UniformVector[] FromUniformBytes,
        [property: JsonPropertyName("sqrt_ratio_m1")] SqrtRatioVector[] SqrtRatio);

    internal sealed record Multiple([property: JsonPropertyName("multiple")] int Value, [property: JsonPropertyName("encoding")] string Encoding);

    internal sealed record BadEncoding([property: JsonPropertyName("encoding")] string Encoding, [property: JsonPropertyName("reason")] string Reason);

    internal sealed record UniformVector([property: JsonPropertyName("input")] string Input, [property: JsonPropertyName("output")] string Output);

    internal sealed record SqrtRatioVector(
        [property: JsonPropertyName("u")] string U,
        [property: JsonPropertyName("v")] string V,
        [property: JsonPropertyName("was_square")] bool WasSquare,
        [property: JsonPropertyName("r")] string R);
}
