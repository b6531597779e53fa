using System.Numerics;
using SessionGate.Crypto;

namespace SessionGate.Tests.Crypto;

/// <summary>
/// Mul and Square accept unreduced limbs up to 2^54 (what sums of reduced elements produce); the
/// split-at-bit-51 accumulation must not overflow anywhere in that range.
/// </summary>
public sealed class FieldMultiplyBoundsTests
{
    private static readonly BigInteger P = BigInteger.Pow(2, 255) - 19;
    private const ulong MaxLimb = (1UL << 54) - 1;

    [Fact]
    public void MulAndSquare_LimbsUpTo2To54_MatchBigInteger()
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
                if (Curve25519Constants.ToBigInteger(FieldElement.Mul(a, b)) != Value(a) * Value(b) % P)
                {
                    failures.Add($"Mul {Value(a)} {Value(b)}");
                }
            }

            if (Curve25519Constants.ToBigInteger(FieldElement.Square(a)) != Value(a) * Value(a) % P)
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
