using System.Numerics;
using SessionGate.Crypto;

namespace SessionGate.Tests.Crypto;

/// <summary>Recomputes every hard-coded curve constant from its definition.</summary>
public sealed class CurveConstantsTests
{
    private static readonly BigInteger P = Curve25519Constants.P;

    private static BigInteger V(FieldElement fe) => Curve25519Constants.ToBigInteger(fe);

    private static BigInteger Mod(BigInteger x) => ((x % P) + P) % P;

    [Fact]
    public void Constants_MatchTheirDefinitions()
    {
        BigInteger d = V(Curve25519Constants.D);
        Assert.Equal(Mod(-121665), Mod(d * 121666));
        Assert.Equal(Mod(2 * d), V(Curve25519Constants.D2));
        Assert.Equal(Mod(-1), Mod(BigInteger.Pow(V(Curve25519Constants.SqrtM1), 2)));
        Assert.Equal(BigInteger.One, Mod(BigInteger.Pow(V(Curve25519Constants.InvSqrtAMinusD), 2) * Mod(-1 - d)));
        Assert.Equal(Mod(-d - 1), Mod(BigInteger.Pow(V(Curve25519Constants.SqrtAdMinusOne), 2)));
        Assert.Equal(Mod(1 - (d * d)), V(Curve25519Constants.OneMinusDSquared));
        Assert.Equal(Mod((d - 1) * (d - 1)), V(Curve25519Constants.DMinusOneSquared));
    }

    [Fact]
    public void Basepoint_IsOnTheCurveWithY4Over5()
    {
        BigInteger x = V(Curve25519Constants.BaseX), y = V(Curve25519Constants.BaseY), d = V(Curve25519Constants.D);
        Assert.Equal(Mod(4 * BigInteger.ModPow(5, P - 2, P)), y);
        Assert.Equal(Mod(1 + (d * x * x * y * y)), Mod((-x * x) + (y * y)));
        Assert.True(x.IsEven);
    }
}
