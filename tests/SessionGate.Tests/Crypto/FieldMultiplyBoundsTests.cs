using System.Numerics;
using SessionGate.Crypto;

namespace SessionGate.Tests.Crypto;

/// <summary>
/// Mul and Square accept unreduced limbs up to 2^54 (what sums of reduced elements produce); the
/// split-at-bit-51 accumulation must not overflow anywhere in that range. Both high-word backends
/// run on every run: the native one (MULX / UMULH) and the portable fallback other CPUs get.
/// </summary>
public sealed class FieldMultiplyBoundsTests
{
    private static readonly BigInteger P = BigInteger.Pow(2, 255) - 19;
    private const ulong MaxLimb = (1UL << 54) - 1;

    [Fact]
    public void MulAndSquare_NativeBackend_MatchBigInteger() => MulAndSquare_LimbsUpTo2To54_MatchBigInteger<NativeMultiplyHigh>();

    [Fact]
    public void MulAndSquare_PortableBackend_MatchBigInteger() => MulAndSquare_LimbsUpTo2To54_MatchBigInteger<PortableMultiplyHigh>();

    [Fact]
    public void Mul_DefaultEntryPoint_IsTheNativeBackend()
    {
        var a = new FieldElement(MaxLimb, 3, MaxLimb, 5, MaxLimb);
        var b = new FieldElement(7, MaxLimb, 11, MaxLimb, 13);
        Assert.Equal(FieldElement.Mul<NativeMultiplyHigh>(a, b), FieldElement.Mul(a, b));
        Assert.Equal(FieldElement.Square<NativeMultiplyHigh>(a), FieldElement.Square(a));
        Assert.Equal(FieldElement.Mul<PortableMultiplyHigh>(a, b), FieldElement.Mul(a, b));
    }

    private static void MulAndSquare_LimbsUpTo2To54_MatchBigInteger<THigh>()
        where THigh : struct, IMultiplyHigh
    {
        var random = new Random(54);
        var cases = new List<FieldElement>
        {
            new(MaxLimb, MaxLimb, MaxLimb, MaxLimb, MaxLimb),
            new(MaxLimb, 0, MaxLimb, 0, MaxLimb),
            new(0, 0, 0, 0, MaxLimb),
            FieldElement.One,
        };
        for (int i = 0; i < 500; i++)
        {
            cases.Add(new FieldElement(Limb(random), Limb(random), Limb(random), Limb(random), Limb(random)));
        }

        var failures = new List<string>();
        foreach (FieldElement a in cases)
        {
            foreach (FieldElement b in cases.Take(40))
            {
                if (Curve25519Constants.ToBigInteger(FieldElement.Mul<THigh>(a, b)) != Value(a) * Value(b) % P)
                {
                    failures.Add($"Mul {Value(a)} {Value(b)}");
                }
            }

            if (Curve25519Constants.ToBigInteger(FieldElement.Square<THigh>(a)) != Value(a) * Value(a) % P)
            {
                failures.Add($"Square {Value(a)}");
            }
        }

        Assert.Empty(failures);
    }

    private static ulong Limb(Random random) => (ulong)random.NextInt64() & MaxLimb;

    private static BigInteger Value(FieldElement a) =>
        (a.L0 + ((BigInteger)a.L1 << 51) + ((BigInteger)a.L2 << 102) + ((BigInteger)a.L3 << 153) + ((BigInteger)a.L4 << 204)) % P;
}
