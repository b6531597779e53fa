// Constant-time selection, comparison and sign for field elements (no secret-dependent branches).
using System.Security.Cryptography;

namespace SessionGate.Crypto;

internal readonly partial struct FieldElement
{
    /// <summary>Returns <paramref name="b"/> when <paramref name="choice"/> is 1, else <paramref name="a"/>.</summary>
    public static FieldElement Select(in FieldElement a, in FieldElement b, ulong choice)
    {
        ulong mask = 0UL - choice;
        return new FieldElement(
            a.L0 ^ (mask & (a.L0 ^ b.L0)),
            a.L1 ^ (mask & (a.L1 ^ b.L1)),
            a.L2 ^ (mask & (a.L2 ^ b.L2)),
            a.L3 ^ (mask & (a.L3 ^ b.L3)),
            a.L4 ^ (mask & (a.L4 ^ b.L4)));
    }

    /// <summary>Negates when <paramref name="choice"/> is 1.</summary>
    public static FieldElement ConditionalNegate(in FieldElement a, ulong choice) => Select(a, Negate(a), choice);

    /// <summary>1 when the canonical encoding is odd ("negative" in RFC 9496), else 0.</summary>
    public ulong IsNegative()
    {
        Span<byte> bytes = stackalloc byte[32];
        ToBytes(bytes);
        return (ulong)(bytes[0] & 1);
    }

    /// <summary>1 when the element is zero modulo p, else 0.</summary>
    public ulong IsZero()
    {
        Span<byte> bytes = stackalloc byte[32];
        ToBytes(bytes);
        ulong acc = 0;
        foreach (byte b in bytes)
        {
            acc |= b;
        }

        return ((acc | (0UL - acc)) >> 63) ^ 1;
    }

    /// <summary>1 when both are equal modulo p, else 0.</summary>
    public static ulong ConstantTimeEquals(in FieldElement a, in FieldElement b)
    {
        Span<byte> x = stackalloc byte[32];
        Span<byte> y = stackalloc byte[32];
        a.ToBytes(x);
        b.ToBytes(y);
        return CryptographicOperations.FixedTimeEquals(x, y) ? 1UL : 0UL;
    }

    /// <summary>Absolute value: the non-negative one of ±a.</summary>
    public static FieldElement Abs(in FieldElement a) => ConditionalNegate(a, a.IsNegative());
}
