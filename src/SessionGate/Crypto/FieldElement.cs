// Arithmetic in GF(2^255 - 19) with five 51-bit limbs (radix 2^51), as in curve25519-dalek's u64
// backend. Every operation here is constant time: no branches or memory indices depend on values.
// Limb bounds: outputs of Mul/Square/Sub/Reduce have limbs < 2^51 + 2^13; Add leaves them < 2^53,
// which Mul and Square accept (they tolerate limbs up to 2^54).
using System.Buffers.Binary;
using System.Runtime.CompilerServices;

namespace SessionGate.Crypto;

internal readonly partial struct FieldElement
{
    private const ulong Mask51 = (1UL << 51) - 1;

    public readonly ulong L0, L1, L2, L3, L4;

    public FieldElement(ulong l0, ulong l1, ulong l2, ulong l3, ulong l4)
    {
        L0 = l0;
        L1 = l1;
        L2 = l2;
        L3 = l3;
        L4 = l4;
    }

    public static FieldElement Zero => default;

    public static FieldElement One => new(1, 0, 0, 0, 0);

    /// <summary>Loads 32 little-endian bytes, ignoring the top bit (RFC 7748 style).</summary>
    public static FieldElement FromBytes(ReadOnlySpan<byte> bytes)
    {
        ulong w0 = BinaryPrimitives.ReadUInt64LittleEndian(bytes);
        ulong w1 = BinaryPrimitives.ReadUInt64LittleEndian(bytes[8..]);
        ulong w2 = BinaryPrimitives.ReadUInt64LittleEndian(bytes[16..]);
        ulong w3 = BinaryPrimitives.ReadUInt64LittleEndian(bytes[24..]);
        return new FieldElement(
            w0 & Mask51,
            ((w0 >> 51) | (w1 << 13)) & Mask51,
            ((w1 >> 38) | (w2 << 26)) & Mask51,
            ((w2 >> 25) | (w3 << 39)) & Mask51,
            (w3 >> 12) & Mask51);
    }

    /// <summary>Writes the canonical (fully reduced) 32-byte little-endian encoding.</summary>
    public void ToBytes(Span<byte> output)
    {
        FieldElement r = Reduce(this);
        ulong l0 = r.L0, l1 = r.L1, l2 = r.L2, l3 = r.L3, l4 = r.L4;

        // r < 2^255 + small; compute q = 1 exactly when r >= p by checking whether r + 19 overflows 2^255.
        ulong q = (l0 + 19) >> 51;
        q = (l1 + q) >> 51;
        q = (l2 + q) >> 51;
        q = (l3 + q) >> 51;
        q = (l4 + q) >> 51;

        l0 += 19 * q;
        l1 += l0 >> 51;
        l0 &= Mask51;
        l2 += l1 >> 51;
        l1 &= Mask51;
        l3 += l2 >> 51;
        l2 &= Mask51;
        l4 += l3 >> 51;
        l3 &= Mask51;
        l4 &= Mask51;

        BinaryPrimitives.WriteUInt64LittleEndian(output, l0 | (l1 << 51));
        BinaryPrimitives.WriteUInt64LittleEndian(output[8..], (l1 >> 13) | (l2 << 38));
        BinaryPrimitives.WriteUInt64LittleEndian(output[16..], (l2 >> 26) | (l3 << 25));
        BinaryPrimitives.WriteUInt64LittleEndian(output[24..], (l3 >> 39) | (l4 << 12));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static FieldElement Add(in FieldElement a, in FieldElement b) =>
        new(a.L0 + b.L0, a.L1 + b.L1, a.L2 + b.L2, a.L3 + b.L3, a.L4 + b.L4);

    /// <summary>a - b, computed as (a + 16p) - b so no limb underflows for b limbs below 2^55.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static FieldElement Sub(in FieldElement a, in FieldElement b) =>
        Reduce(
            (a.L0 + 36028797018963664UL) - b.L0,
            (a.L1 + 36028797018963952UL) - b.L1,
            (a.L2 + 36028797018963952UL) - b.L2,
            (a.L3 + 36028797018963952UL) - b.L3,
            (a.L4 + 36028797018963952UL) - b.L4);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static FieldElement Negate(in FieldElement a) => Sub(Zero, a);

    /// <summary>Carries so every limb is below 2^51 + 2^13.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static FieldElement Reduce(in FieldElement a) => Reduce(a.L0, a.L1, a.L2, a.L3, a.L4);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static FieldElement Reduce(ulong l0, ulong l1, ulong l2, ulong l3, ulong l4)
    {
        ulong c0 = l0 >> 51, c1 = l1 >> 51, c2 = l2 >> 51, c3 = l3 >> 51, c4 = l4 >> 51;
        return new FieldElement(
            (l0 & Mask51) + (c4 * 19),
            (l1 & Mask51) + c0,
            (l2 & Mask51) + c1,
            (l3 & Mask51) + c2,
            (l4 & Mask51) + c3);
    }

    /// <summary>Returns 2·a².</summary>
    public static FieldElement Square2(in FieldElement a)
    {
        FieldElement s = Square(a);
        return Add(s, s);
    }

    /// <summary>Returns a^(2^k) for k ≥ 1.</summary>
    public static FieldElement Pow2K(in FieldElement a, int k)
    {
        FieldElement r = Square(a);
        for (int i = 1; i < k; i++)
        {
            r = Square(r);
        }

        return r;
    }
}
