// Integers modulo ℓ = 2^252 + 27742317777372353535851937790883648493 (the order of ristretto255),
// in five 52-bit limbs with Montgomery multiplication (R = 2^260), as in curve25519-dalek's
// Scalar52. All arithmetic is constant time: signing multiplies the secret key with it.
using System.Buffers.Binary;
using System.Numerics;
using System.Runtime.CompilerServices;

namespace SessionGate.Crypto;

internal readonly struct Scalar52
{
    public const int EncodedSize = 32;
    private const ulong Mask52 = (1UL << 52) - 1;

    public readonly ulong L0, L1, L2, L3, L4;

    public Scalar52(ulong l0, ulong l1, ulong l2, ulong l3, ulong l4)
    {
        L0 = l0;
        L1 = l1;
        L2 = l2;
        L3 = l3;
        L4 = l4;
    }

    /// <summary>ℓ in 52-bit limbs.</summary>
    public static readonly Scalar52 Order = new(0x0002631a5cf5d3edUL, 0x000dea2f79cd6581UL, 0x000000000014def9UL, 0, 0x0000100000000000UL);

    public static readonly BigInteger OrderValue = BigInteger.Pow(2, 252) + BigInteger.Parse("27742317777372353535851937790883648493", System.Globalization.CultureInfo.InvariantCulture);

    // Derived constants, computed once from ℓ (public values, so BigInteger is fine here).
    private static readonly ulong MontgomeryFactor = ComputeMontgomeryFactor();   // -ℓ^-1 mod 2^52
    private static readonly Scalar52 R = FromBigInteger(BigInteger.ModPow(2, 260, OrderValue));
    private static readonly Scalar52 RR = FromBigInteger(BigInteger.ModPow(2, 520, OrderValue));

    public static Scalar52 Zero => default;

    /// <summary>Loads 32 little-endian bytes without reducing them (the value must be below 2^256).</summary>
    public static Scalar52 FromBytes(ReadOnlySpan<byte> bytes)
    {
        ulong w0 = BinaryPrimitives.ReadUInt64LittleEndian(bytes);
        ulong w1 = BinaryPrimitives.ReadUInt64LittleEndian(bytes[8..]);
        ulong w2 = BinaryPrimitives.ReadUInt64LittleEndian(bytes[16..]);
        ulong w3 = BinaryPrimitives.ReadUInt64LittleEndian(bytes[24..]);
        return new Scalar52(
            w0 & Mask52,
            ((w0 >> 52) | (w1 << 12)) & Mask52,
            ((w1 >> 40) | (w2 << 24)) & Mask52,
            ((w2 >> 28) | (w3 << 36)) & Mask52,
            w3 >> 16);
    }

    /// <summary>Reduces a 512-bit little-endian integer modulo ℓ.</summary>
    public static Scalar52 FromBytesWide(ReadOnlySpan<byte> bytes64)
    {
        Span<ulong> w = stackalloc ulong[8];
        for (int i = 0; i < 8; i++)
        {
            w[i] = BinaryPrimitives.ReadUInt64LittleEndian(bytes64[(i * 8)..]);
        }

        var low = new Scalar52(
            w[0] & Mask52,
            ((w[0] >> 52) | (w[1] << 12)) & Mask52,
            ((w[1] >> 40) | (w[2] << 24)) & Mask52,
            ((w[2] >> 28) | (w[3] << 36)) & Mask52,
            ((w[3] >> 16) | (w[4] << 48)) & Mask52);
        var high = new Scalar52(
            (w[4] >> 4) & Mask52,
            ((w[4] >> 56) | (w[5] << 8)) & Mask52,
            ((w[5] >> 44) | (w[6] << 20)) & Mask52,
            ((w[6] >> 32) | (w[7] << 32)) & Mask52,
            w[7] >> 20);

        // low·R/R + high·R²/R = low + high·2^260 (mod ℓ)
        Scalar52 lowReduced = MontgomeryMul(low, R);
        Scalar52 highReduced = MontgomeryMul(high, RR);
        return Add(highReduced, lowReduced);
    }

    /// <summary>Reduces a 256-bit little-endian integer modulo ℓ.</summary>
    public static Scalar52 FromBytesModOrder(ReadOnlySpan<byte> bytes32)
    {
        Span<byte> wide = stackalloc byte[64];
        wide.Clear();
        bytes32[..32].CopyTo(wide);
        Scalar52 result = FromBytesWide(wide);
        wide.Clear();
        return result;
    }

    /// <summary>True when the 32 bytes encode an integer below ℓ. Not constant time: only for public values.</summary>
    public static bool IsCanonical(ReadOnlySpan<byte> bytes32)
    {
        ReadOnlySpan<byte> order =
        [
            0xed, 0xd3, 0xf5, 0x5c, 0x1a, 0x63, 0x12, 0x58, 0xd6, 0x9c, 0xf7, 0xa2, 0xde, 0xf9, 0xde, 0x14,
            0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x10,
        ];
        for (int i = 31; i >= 0; i--)
        {
            if (bytes32[i] != order[i])
            {
                return bytes32[i] < order[i];
            }
        }

        return false;
    }

    public void ToBytes(Span<byte> output)
    {
        BinaryPrimitives.WriteUInt64LittleEndian(output, L0 | (L1 << 52));
        BinaryPrimitives.WriteUInt64LittleEndian(output[8..], (L1 >> 12) | (L2 << 40));
        BinaryPrimitives.WriteUInt64LittleEndian(output[16..], (L2 >> 24) | (L3 << 28));
        BinaryPrimitives.WriteUInt64LittleEndian(output[24..], (L3 >> 36) | (L4 << 16));
    }

    /// <summary>(a + b) mod ℓ for reduced inputs.</summary>
    public static Scalar52 Add(in Scalar52 a, in Scalar52 b)
    {
        ulong carry = a.L0 + b.L0;
        ulong s0 = carry & Mask52;
        carry = (carry >> 52) + a.L1 + b.L1;
        ulong s1 = carry & Mask52;
        carry = (carry >> 52) + a.L2 + b.L2;
        ulong s2 = carry & Mask52;
        carry = (carry >> 52) + a.L3 + b.L3;
        ulong s3 = carry & Mask52;
        carry = (carry >> 52) + a.L4 + b.L4;
        ulong s4 = carry & Mask52;
        return Sub(new Scalar52(s0, s1, s2, s3, s4), Order);
    }

    /// <summary>(a - b) mod ℓ for inputs below ℓ (constant time: ℓ is added back under a mask).</summary>
    public static Scalar52 Sub(in Scalar52 a, in Scalar52 b)
    {
        Span<ulong> difference = stackalloc ulong[5];
        ReadOnlySpan<ulong> x = [a.L0, a.L1, a.L2, a.L3, a.L4];
        ReadOnlySpan<ulong> y = [b.L0, b.L1, b.L2, b.L3, b.L4];
        ReadOnlySpan<ulong> order = [Order.L0, Order.L1, Order.L2, Order.L3, Order.L4];

        ulong borrow = 0;
        for (int i = 0; i < 5; i++)
        {
            borrow = x[i] - (y[i] + (borrow >> 63));
            difference[i] = borrow & Mask52;
        }

        ulong underflowMask = ((borrow >> 63) ^ 1) - 1;
        ulong carry = 0;
        for (int i = 0; i < 5; i++)
        {
            carry = (carry >> 52) + difference[i] + (order[i] & underflowMask);
            difference[i] = carry & Mask52;
        }

        return new Scalar52(difference[0], difference[1], difference[2], difference[3], difference[4]);
    }

    /// <summary>(a · b) mod ℓ.</summary>
    public static Scalar52 Mul(in Scalar52 a, in Scalar52 b) => MontgomeryMul(MontgomeryMul(a, b), RR);

    /// <summary>a · b / R mod ℓ.</summary>
    private static Scalar52 MontgomeryMul(in Scalar52 a, in Scalar52 b)
    {
        UInt128 z0 = M(a.L0, b.L0);
        UInt128 z1 = M(a.L0, b.L1) + M(a.L1, b.L0);
        UInt128 z2 = M(a.L0, b.L2) + M(a.L1, b.L1) + M(a.L2, b.L0);
        UInt128 z3 = M(a.L0, b.L3) + M(a.L1, b.L2) + M(a.L2, b.L1) + M(a.L3, b.L0);
        UInt128 z4 = M(a.L0, b.L4) + M(a.L1, b.L3) + M(a.L2, b.L2) + M(a.L3, b.L1) + M(a.L4, b.L0);
        UInt128 z5 = M(a.L1, b.L4) + M(a.L2, b.L3) + M(a.L3, b.L2) + M(a.L4, b.L1);
        UInt128 z6 = M(a.L2, b.L4) + M(a.L3, b.L3) + M(a.L4, b.L2);
        UInt128 z7 = M(a.L3, b.L4) + M(a.L4, b.L3);
        UInt128 z8 = M(a.L4, b.L4);
        return MontgomeryReduce(z0, z1, z2, z3, z4, z5, z6, z7, z8);
    }

    private static Scalar52 MontgomeryReduce(UInt128 z0, UInt128 z1, UInt128 z2, UInt128 z3, UInt128 z4, UInt128 z5, UInt128 z6, UInt128 z7, UInt128 z8)
    {
        ulong l0 = Order.L0, l1 = Order.L1, l2 = Order.L2, l4 = Order.L4; // Order.L3 is zero.

        // First half: pick n0..n4 so that adding n·ℓ clears the low 260 bits.
        (UInt128 carry, ulong n0) = Part1(z0, l0);
        (carry, ulong n1) = Part1(carry + z1 + M(n0, l1), l0);
        (carry, ulong n2) = Part1(carry + z2 + M(n0, l2) + M(n1, l1), l0);
        (carry, ulong n3) = Part1(carry + z3 + M(n1, l2) + M(n2, l1), l0);
        (carry, ulong n4) = Part1(carry + z4 + M(n0, l4) + M(n2, l2) + M(n3, l1), l0);

        // Second half: the sum is now divisible by 2^260; keep the upper limbs.
        (carry, ulong r0) = Part2(carry + z5 + M(n1, l4) + M(n3, l2) + M(n4, l1));
        (carry, ulong r1) = Part2(carry + z6 + M(n2, l4) + M(n4, l2));
        (carry, ulong r2) = Part2(carry + z7 + M(n3, l4));
        (carry, ulong r3) = Part2(carry + z8 + M(n4, l4));
        ulong r4 = (ulong)carry;

        // The result is below 2ℓ; one conditional subtraction finishes the reduction.
        return Sub(new Scalar52(r0, r1, r2, r3, r4), Order);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static (UInt128 Carry, ulong N) Part1(UInt128 sum, ulong l0)
    {
        ulong p = ((ulong)sum * MontgomeryFactor) & Mask52;
        return ((sum + M(p, l0)) >> 52, p);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static (UInt128 Carry, ulong W) Part2(UInt128 sum) => (sum >> 52, (ulong)sum & Mask52);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static UInt128 M(ulong x, ulong y)
    {
        ulong high = Math.BigMul(x, y, out ulong low);
        return new UInt128(high, low);
    }

    private static ulong ComputeMontgomeryFactor()
    {
        BigInteger modulus = BigInteger.Pow(2, 52);
        // ℓ is odd, so ℓ^(2^51 - 1) is its inverse modulo 2^52 (the unit group has order 2^51).
        BigInteger inverse = BigInteger.ModPow(OrderValue, BigInteger.Pow(2, 51) - 1, modulus);
        return (ulong)((modulus - inverse) % modulus);
    }

    internal static Scalar52 FromBigInteger(BigInteger value)
    {
        Span<byte> bytes = stackalloc byte[32];
        bytes.Clear();
        value.TryWriteBytes(bytes, out _, isUnsigned: true, isBigEndian: false);
        return FromBytes(bytes);
    }
}
