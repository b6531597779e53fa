// Exponentiation chains in GF(2^255 - 19): inversion by Fermat (a^(p-2)), a^((p-5)/8) for square
// roots, and the combined inverse square root of a ratio that Ristretto255 uses (RFC 9496, 4.2).
namespace SessionGate.Crypto;

internal readonly partial struct FieldElement
{
    /// <summary>Returns (a^(2^250 - 1), a^11), the shared prefix of the inversion and root chains.</summary>
    private static (FieldElement Pow250, FieldElement Pow11) Pow22501(in FieldElement a)
    {
        FieldElement t0 = Square(a);                 // 2
        FieldElement t1 = Pow2K(t0, 2);              // 8
        FieldElement t2 = Mul(a, t1);                // 9
        FieldElement t3 = Mul(t0, t2);               // 11
        FieldElement t4 = Square(t3);                // 22
        FieldElement t5 = Mul(t2, t4);               // 2^5 - 1
        FieldElement t6 = Pow2K(t5, 5);
        FieldElement t7 = Mul(t6, t5);               // 2^10 - 1
        FieldElement t8 = Pow2K(t7, 10);
        FieldElement t9 = Mul(t8, t7);               // 2^20 - 1
        FieldElement t10 = Pow2K(t9, 20);
        FieldElement t11 = Mul(t10, t9);             // 2^40 - 1
        FieldElement t12 = Pow2K(t11, 10);
        FieldElement t13 = Mul(t12, t7);             // 2^50 - 1
        FieldElement t14 = Pow2K(t13, 50);
        FieldElement t15 = Mul(t14, t13);            // 2^100 - 1
        FieldElement t16 = Pow2K(t15, 100);
        FieldElement t17 = Mul(t16, t15);            // 2^200 - 1
        FieldElement t18 = Pow2K(t17, 50);
        FieldElement t19 = Mul(t18, t13);            // 2^250 - 1
        return (t19, t3);
    }

    /// <summary>Returns 1/a (and 0 for a = 0).</summary>
    public static FieldElement Invert(in FieldElement a)
    {
        (FieldElement pow250, FieldElement pow11) = Pow22501(a);
        return Mul(Pow2K(pow250, 5), pow11);          // 2^255 - 21 = p - 2
    }

    /// <summary>Returns a^((p - 5) / 8) = a^(2^252 - 3).</summary>
    private static FieldElement PowP58(in FieldElement a)
    {
        (FieldElement pow250, _) = Pow22501(a);
        return Mul(Pow2K(pow250, 2), a);
    }

    /// <summary>
    /// RFC 9496 SQRT_RATIO_M1: returns (1, +sqrt(u/v)) when u/v is square, (1, 0) when u = 0,
    /// (0, 0) when v = 0 and u ≠ 0, and (0, +sqrt(i·u/v)) otherwise. The root is non-negative.
    /// </summary>
    public static (ulong WasSquare, FieldElement Root) SqrtRatioM1(in FieldElement u, in FieldElement v)
    {
        FieldElement v3 = Mul(Square(v), v);
        FieldElement v7 = Mul(Square(v3), v);
        FieldElement r = Mul(Mul(u, v3), PowP58(Mul(u, v7)));
        FieldElement check = Mul(v, Square(r));

        FieldElement negU = Negate(u);
        ulong correctSign = ConstantTimeEquals(check, u);
        ulong flippedSign = ConstantTimeEquals(check, negU);
        ulong flippedSignI = ConstantTimeEquals(check, Mul(negU, Curve25519Constants.SqrtM1));

        FieldElement rPrime = Mul(Curve25519Constants.SqrtM1, r);
        r = Select(r, rPrime, flippedSign | flippedSignI);
        r = Abs(r);
        return (correctSign | flippedSign, r);
    }
}
