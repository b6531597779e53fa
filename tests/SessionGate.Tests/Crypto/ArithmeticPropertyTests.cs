using System.Numerics;
using FsCheck;
using FsCheck.Fluent;
using SessionGate.Crypto;

namespace SessionGate.Tests.Crypto;

/// <summary>Field and scalar arithmetic against System.Numerics.BigInteger on random inputs.</summary>
public sealed class ArithmeticPropertyTests
{
    private static readonly BigInteger P = Curve25519Constants.P;
    private static readonly BigInteger L = Scalar52.OrderValue;

    private static Arbitrary<byte[]> Bytes(int length) => ArbMap.Default.GeneratorFor<byte>().ArrayOf(length).ToArbitrary();

    private static BigInteger ToInteger(ReadOnlySpan<byte> bytes) => new(bytes, isUnsigned: true, isBigEndian: false);

    private static BigInteger Field(byte[] bytes)
    {
        byte[] copy = (byte[])bytes.Clone();
        copy[31] &= 0x7f;
        return ToInteger(copy);
    }

    private static BigInteger Mod(BigInteger value, BigInteger modulus) => ((value % modulus) + modulus) % modulus;

    [Fact]
    public void FieldOperations_RandomElements_MatchBigInteger()
    {
        Prop.ForAll(Bytes(32), Bytes(32), (x, y) =>
        {
            FieldElement a = FieldElement.FromBytes(x), b = FieldElement.FromBytes(y);
            BigInteger ia = Field(x), ib = Field(y);
            return Curve25519Constants.ToBigInteger(FieldElement.Mul(a, b)) == Mod(ia * ib, P)
                && Curve25519Constants.ToBigInteger(FieldElement.Square(a)) == Mod(ia * ia, P)
                && Curve25519Constants.ToBigInteger(FieldElement.Add(a, b)) == Mod(ia + ib, P)
                && Curve25519Constants.ToBigInteger(FieldElement.Sub(a, b)) == Mod(ia - ib, P)
                && Curve25519Constants.ToBigInteger(FieldElement.Negate(a)) == Mod(-ia, P)
                && Curve25519Constants.ToBigInteger(FieldElement.Invert(a)) == (Mod(ia, P) == 0 ? 0 : BigInteger.ModPow(ia, P - 2, P));
        }).QuickCheckThrowOnFailure();
    }

    [Fact]
    public void FieldToBytes_ValuesAtAndAboveP_AreCanonical()
    {
        foreach (BigInteger value in new[] { P - 1, P, P + 1, P + 18, BigInteger.Pow(2, 255) - 1 })
        {
            byte[] bytes = new byte[32];
            value.TryWriteBytes(bytes, out _, isUnsigned: true);
            byte[] encoded = new byte[32];
            FieldElement.FromBytes(bytes).ToBytes(encoded);
            Assert.Equal(Mod(value, P), ToInteger(encoded));
        }
    }

    [Fact]
    public void ScalarOperations_RandomInputs_MatchBigInteger()
    {
        Prop.ForAll(Bytes(64), Bytes(64), (x, y) =>
        {
            Scalar52 a = Scalar52.FromBytesWide(x), b = Scalar52.FromBytesWide(y);
            BigInteger ia = Mod(ToInteger(x), L), ib = Mod(ToInteger(y), L);
            return ScalarValue(a) == ia
                && ScalarValue(Scalar52.Mul(a, b)) == Mod(ia * ib, L)
                && ScalarValue(Scalar52.Add(a, b)) == Mod(ia + ib, L)
                && ScalarValue(Scalar52.Sub(a, b)) == Mod(ia - ib, L);
        }).QuickCheckThrowOnFailure();
    }

    [Fact]
    public void ScalarIsCanonical_AroundTheOrder_IsExact()
    {
        foreach ((BigInteger value, bool canonical) in new[] { (L - 1, true), (L, false), (L + 1, false), (BigInteger.Zero, true), (BigInteger.Pow(2, 253), false) })
        {
            byte[] bytes = new byte[32];
            value.TryWriteBytes(bytes, out _, isUnsigned: true);
            Assert.Equal(canonical, Scalar52.IsCanonical(bytes));
        }
    }

    [Fact]
    public void Recodings_RandomScalars_SumBackToTheScalar()
    {
        Prop.ForAll(Bytes(32), x =>
        {
            byte[] scalar = (byte[])x.Clone();
            scalar[31] &= 0x7f;
            BigInteger value = ToInteger(scalar);

            sbyte[] radix16 = new sbyte[64];
            ScalarRecoding.ToRadix16(scalar, radix16);
            BigInteger fromRadix = Enumerable.Range(0, 64).Aggregate(BigInteger.Zero, (acc, i) => acc + (radix16[i] * BigInteger.Pow(16, i)));

            bool nafOk = true;
            foreach (int width in new[] { 5, 8 })
            {
                sbyte[] naf = new sbyte[256];
                ScalarRecoding.ToNonAdjacentForm(scalar, width, naf);
                BigInteger fromNaf = Enumerable.Range(0, 256).Aggregate(BigInteger.Zero, (acc, i) => acc + (naf[i] * BigInteger.Pow(2, i)));
                nafOk &= fromNaf == value && naf.All(d => d == 0 || (d % 2 != 0 && Math.Abs((int)d) < (1 << (width - 1))));
            }

            return fromRadix == value && radix16.All(d => d >= -8 && d <= 8) && nafOk;
        }).QuickCheckThrowOnFailure();
    }

    [Fact]
    public void ScalarMultiplication_ConstantTimeAndVariableTime_Agree()
    {
        Prop.ForAll(Bytes(64), Bytes(64), (x, y) =>
        {
            byte[] a = new byte[32], b = new byte[32];
            Scalar52.FromBytesWide(x).ToBytes(a);
            Scalar52.FromBytesWide(y).ToBytes(b);

            // a·(b·B) + b·B computed two ways: NAF double-base versus the fixed-base table.
            EdwardsPoint pointA = ScalarMultiplication.BasepointMul(b);
            EdwardsPoint viaDouble = ScalarMultiplication.DoubleScalarMulBasepointVartime(a, pointA, b);
            byte[] ab = new byte[32];
            Scalar52.Add(Scalar52.Mul(Scalar52.FromBytes(a), Scalar52.FromBytes(b)), Scalar52.FromBytes(b)).ToBytes(ab);
            return Ristretto255.Equals(viaDouble, ScalarMultiplication.BasepointMul(ab));
        }).QuickCheckThrowOnFailure();
    }

    private static BigInteger ScalarValue(Scalar52 scalar)
    {
        byte[] bytes = new byte[32];
        scalar.ToBytes(bytes);
        return ToInteger(bytes);
    }
}
