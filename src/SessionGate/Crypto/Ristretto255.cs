// ristretto255 (RFC 9496): a prime-order group of order ℓ = 2^252 + 27742317777372353535851937790883648493
// built on edwards25519. Elements are encoded in 32 bytes; decoding is strict (section 4.3.1): it
// rejects non-canonical field encodings, "negative" s, and anything that is not a valid encoding.
using System.Security.Cryptography;

namespace SessionGate.Crypto;

internal static class Ristretto255
{
    public const int EncodedSize = 32;

    /// <summary>Decodes a ristretto255 element; returns false (never throws) for any invalid encoding.</summary>
    public static bool TryDecode(ReadOnlySpan<byte> encoding, out EdwardsPoint point)
    {
        point = default;
        if (encoding.Length != EncodedSize)
        {
            return false;
        }

        // Step 1: s must be the canonical encoding of a non-negative field element (top bit clear, s < p, s even).
        FieldElement s = FieldElement.FromBytes(encoding);
        Span<byte> canonical = stackalloc byte[EncodedSize];
        s.ToBytes(canonical);
        if (!encoding.SequenceEqual(canonical) || (encoding[0] & 1) != 0)
        {
            return false;
        }

        FieldElement ss = FieldElement.Square(s);
        FieldElement u1 = FieldElement.Sub(FieldElement.One, ss);
        FieldElement u2 = FieldElement.Reduce(FieldElement.Add(FieldElement.One, ss));
        FieldElement u2Squared = FieldElement.Square(u2);

        // v = -(d·u1²) - u2²
        FieldElement v = FieldElement.Sub(
            FieldElement.Negate(FieldElement.Mul(Curve25519Constants.D, FieldElement.Square(u1))),
            u2Squared);

        (ulong wasSquare, FieldElement invSqrt) = FieldElement.SqrtRatioM1(FieldElement.One, FieldElement.Mul(v, u2Squared));

        FieldElement denX = FieldElement.Mul(invSqrt, u2);
        FieldElement denY = FieldElement.Mul(FieldElement.Mul(invSqrt, denX), v);

        FieldElement twoS = FieldElement.Reduce(FieldElement.Add(s, s));
        FieldElement x = FieldElement.Abs(FieldElement.Mul(twoS, denX));
        FieldElement y = FieldElement.Mul(u1, denY);
        FieldElement t = FieldElement.Mul(x, y);

        if (wasSquare == 0 || t.IsNegative() == 1 || y.IsZero() == 1)
        {
            return false;
        }

        point = new EdwardsPoint(x, y, FieldElement.One, t);
        return true;
    }

    /// <summary>Writes the canonical 32-byte encoding of the element represented by <paramref name="point"/>.</summary>
    public static void Encode(in EdwardsPoint point, Span<byte> output)
    {
        FieldElement u1 = FieldElement.Mul(FieldElement.Add(point.Z, point.Y), FieldElement.Sub(point.Z, point.Y));
        FieldElement u2 = FieldElement.Mul(point.X, point.Y);

        (_, FieldElement invSqrt) = FieldElement.SqrtRatioM1(FieldElement.One, FieldElement.Mul(u1, FieldElement.Square(u2)));
        FieldElement den1 = FieldElement.Mul(invSqrt, u1);
        FieldElement den2 = FieldElement.Mul(invSqrt, u2);
        FieldElement zInv = FieldElement.Mul(FieldElement.Mul(den1, den2), point.T);

        FieldElement ix = FieldElement.Mul(point.X, Curve25519Constants.SqrtM1);
        FieldElement iy = FieldElement.Mul(point.Y, Curve25519Constants.SqrtM1);
        FieldElement enchantedDenominator = FieldElement.Mul(den1, Curve25519Constants.InvSqrtAMinusD);

        ulong rotate = FieldElement.Mul(point.T, zInv).IsNegative();
        FieldElement x = FieldElement.Select(point.X, iy, rotate);
        FieldElement y = FieldElement.Select(point.Y, ix, rotate);
        FieldElement denInv = FieldElement.Select(den2, enchantedDenominator, rotate);

        y = FieldElement.ConditionalNegate(y, FieldElement.Mul(x, zInv).IsNegative());
        FieldElement s = FieldElement.Abs(FieldElement.Mul(denInv, FieldElement.Sub(point.Z, y)));
        s.ToBytes(output);
    }

    public static byte[] Encode(in EdwardsPoint point)
    {
        byte[] output = new byte[EncodedSize];
        Encode(point, output);
        return output;
    }

    /// <summary>Group equality (RFC 9496, 4.3.3): x1·y2 == y1·x2 or y1·y2 == x1·x2.</summary>
    public static bool Equals(in EdwardsPoint a, in EdwardsPoint b)
    {
        ulong first = FieldElement.ConstantTimeEquals(FieldElement.Mul(a.X, b.Y), FieldElement.Mul(a.Y, b.X));
        ulong second = FieldElement.ConstantTimeEquals(FieldElement.Mul(a.Y, b.Y), FieldElement.Mul(a.X, b.X));
        return (first | second) == 1;
    }

    /// <summary>1 when the element is the identity (checked in constant time).</summary>
    public static bool IsIdentity(in EdwardsPoint point) => Equals(point, EdwardsPoint.Identity);

    /// <summary>Element derivation from 64 uniform bytes (RFC 9496, 4.3.4): MAP(b[0..32]) + MAP(b[32..64]).</summary>
    public static EdwardsPoint FromUniformBytes(ReadOnlySpan<byte> uniform64)
    {
        if (uniform64.Length != 64)
        {
            throw new ArgumentException("Element derivation needs exactly 64 bytes.", nameof(uniform64));
        }

        EdwardsPoint p1 = Map(FieldElement.FromBytes(uniform64[..32]));
        EdwardsPoint p2 = Map(FieldElement.FromBytes(uniform64[32..]));
        return EdwardsPoint.Add(p1, p2);
    }

    /// <summary>The one-way map MAP(t) of RFC 9496, 4.3.4 (Elligator 2 on the Jacobi quartic).</summary>
    private static EdwardsPoint Map(in FieldElement t)
    {
        FieldElement one = FieldElement.One;
        FieldElement d = Curve25519Constants.D;
        FieldElement r = FieldElement.Mul(Curve25519Constants.SqrtM1, FieldElement.Square(t));
        FieldElement u = FieldElement.Mul(FieldElement.Add(r, one), Curve25519Constants.OneMinusDSquared);
        FieldElement v = FieldElement.Mul(
            FieldElement.Sub(FieldElement.Negate(one), FieldElement.Mul(r, d)),
            FieldElement.Reduce(FieldElement.Add(r, d)));

        (ulong wasSquare, FieldElement s) = FieldElement.SqrtRatioM1(u, v);
        FieldElement sPrime = FieldElement.Negate(FieldElement.Abs(FieldElement.Mul(s, t)));
        s = FieldElement.Select(sPrime, s, wasSquare);
        FieldElement c = FieldElement.Select(r, FieldElement.Negate(one), wasSquare);

        FieldElement n = FieldElement.Sub(
            FieldElement.Mul(FieldElement.Mul(c, FieldElement.Sub(r, one)), Curve25519Constants.DMinusOneSquared),
            v);

        FieldElement sv = FieldElement.Mul(s, v);
        FieldElement w0 = FieldElement.Reduce(FieldElement.Add(sv, sv));
        FieldElement w1 = FieldElement.Mul(n, Curve25519Constants.SqrtAdMinusOne);
        FieldElement sSquared = FieldElement.Square(s);
        FieldElement w2 = FieldElement.Sub(one, sSquared);
        FieldElement w3 = FieldElement.Reduce(FieldElement.Add(one, sSquared));

        return new EdwardsPoint(
            FieldElement.Mul(w0, w3),
            FieldElement.Mul(w2, w1),
            FieldElement.Mul(w1, w3),
            FieldElement.Mul(w0, w2));
    }

    /// <summary>Compares two encodings in constant time.</summary>
    public static bool EncodingEquals(ReadOnlySpan<byte> a, ReadOnlySpan<byte> b) => CryptographicOperations.FixedTimeEquals(a, b);
}
