// Constants of edwards25519 (RFC 7748, RFC 8032) and ristretto255 (RFC 9496, section 4.1).
// Values are written as the decimals the RFCs publish; tests recompute each from its definition.
using System.Globalization;
using System.Numerics;

namespace SessionGate.Crypto;

internal static class Curve25519Constants
{
    public static readonly BigInteger P = BigInteger.Pow(2, 255) - 19;

    /// <summary>d = -121665/121666, the edwards25519 curve constant.</summary>
    public static readonly FieldElement D = Parse("37095705934669439343138083508754565189542113879843219016388785533085940283555");

    /// <summary>2·d, used by the extended-coordinates addition formulas.</summary>
    public static readonly FieldElement D2 = FieldElement.Reduce(FieldElement.Add(D, D));

    /// <summary>The non-negative square root of -1.</summary>
    public static readonly FieldElement SqrtM1 = Parse("19681161376707505956807079304988542015446066515923890162744021073123829784752");

    /// <summary>1/sqrt(a - d) with a = -1 (RFC 9496 INVSQRT_A_MINUS_D).</summary>
    public static readonly FieldElement InvSqrtAMinusD = Parse("54469307008909316920995813868745141605393597292927456921205312896311721017578");

    /// <summary>sqrt(a·d - 1) (RFC 9496 SQRT_AD_MINUS_ONE).</summary>
    public static readonly FieldElement SqrtAdMinusOne = Parse("25063068953384623474111414158702152701244531502492656460079210482610430750235");

    /// <summary>1 - d² (RFC 9496 ONE_MINUS_D_SQ).</summary>
    public static readonly FieldElement OneMinusDSquared = Parse("1159843021668779879193775521855586647937357759715417654439879720876111806838");

    /// <summary>(d - 1)² (RFC 9496 D_MINUS_ONE_SQ).</summary>
    public static readonly FieldElement DMinusOneSquared = Parse("40440834346308536858101042469323190826248399146238708352240133220865137265952");

    /// <summary>x-coordinate of the edwards25519 base point (RFC 8032, 5.1).</summary>
    public static readonly FieldElement BaseX = Parse("15112221349535400772501151409588531511454012693041857206046113283949847762202");

    /// <summary>y-coordinate of the edwards25519 base point: 4/5.</summary>
    public static readonly FieldElement BaseY = Parse("46316835694926478169428394003475163141307993866256225615783033603165251855960");

    internal static FieldElement Parse(string decimalValue) => FromBigInteger(BigInteger.Parse(decimalValue, CultureInfo.InvariantCulture));

    internal static FieldElement FromBigInteger(BigInteger value)
    {
        Span<byte> bytes = stackalloc byte[32];
        bytes.Clear();
        BigInteger reduced = BigInteger.Remainder(value, P);
        if (reduced.Sign < 0)
        {
            reduced += P;
        }

        reduced.TryWriteBytes(bytes, out _, isUnsigned: true, isBigEndian: false);
        return FieldElement.FromBytes(bytes);
    }

    internal static BigInteger ToBigInteger(in FieldElement value)
    {
        Span<byte> bytes = stackalloc byte[32];
        value.ToBytes(bytes);
        return new BigInteger(bytes, isUnsigned: true, isBigEndian: false);
    }
}
