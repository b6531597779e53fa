// Points of edwards25519 (-x² + y² = 1 + d·x²·y²) in extended coordinates (X:Y:Z:T), x = X/Z,
// y = Y/Z, x·y = T/Z (Hisil–Wong–Carter–Dawson 2008), with the cached forms that make additions
// cheaper: projective Niels (Y+X, Y-X, Z, 2dT) and affine Niels (y+x, y-x, 2dxy).
// Formulas follow the "completed point" (P1xP1) representation of ref10 and curve25519-dalek.
namespace SessionGate.Crypto;

internal readonly struct EdwardsPoint
{
    public readonly FieldElement X, Y, Z, T;

    public EdwardsPoint(in FieldElement x, in FieldElement y, in FieldElement z, in FieldElement t)
    {
        X = x;
        Y = y;
        Z = z;
        T = t;
    }

    public static EdwardsPoint Identity => new(FieldElement.Zero, FieldElement.One, FieldElement.One, FieldElement.Zero);

    public static readonly EdwardsPoint Basepoint = new(
        Curve25519Constants.BaseX,
        Curve25519Constants.BaseY,
        FieldElement.One,
        FieldElement.Mul(Curve25519Constants.BaseX, Curve25519Constants.BaseY));

    public ProjectivePoint ToProjective() => new(X, Y, Z);

    public ProjectiveNielsPoint ToProjectiveNiels() => new(
        FieldElement.Add(Y, X),
        FieldElement.Sub(Y, X),
        Z,
        FieldElement.Mul(T, Curve25519Constants.D2));

    public AffineNielsPoint ToAffineNiels()
    {
        FieldElement zInv = FieldElement.Invert(Z);
        FieldElement x = FieldElement.Mul(X, zInv);
        FieldElement y = FieldElement.Mul(Y, zInv);
        return new AffineNielsPoint(
            FieldElement.Reduce(FieldElement.Add(y, x)),
            FieldElement.Sub(y, x),
            FieldElement.Mul(FieldElement.Mul(x, y), Curve25519Constants.D2));
    }

    public EdwardsPoint Double() => ToProjective().Double().ToExtended();

    public EdwardsPoint Negate() => new(FieldElement.Negate(X), Y, Z, FieldElement.Negate(T));

    public static EdwardsPoint Add(in EdwardsPoint a, in EdwardsPoint b) => CompletedPoint.Add(a, b.ToProjectiveNiels()).ToExtended();

    public static EdwardsPoint Select(in EdwardsPoint a, in EdwardsPoint b, ulong choice) => new(
        FieldElement.Select(a.X, b.X, choice),
        FieldElement.Select(a.Y, b.Y, choice),
        FieldElement.Select(a.Z, b.Z, choice),
        FieldElement.Select(a.T, b.T, choice));
}

/// <summary>(X:Y:Z) with x = X/Z, y = Y/Z: enough for doubling.</summary>
internal readonly struct ProjectivePoint
{
    public readonly FieldElement X, Y, Z;

    public ProjectivePoint(in FieldElement x, in FieldElement y, in FieldElement z)
    {
        X = x;
        Y = y;
        Z = z;
    }

    public static ProjectivePoint Identity => new(FieldElement.Zero, FieldElement.One, FieldElement.One);

    /// <summary>Doubling (dbl-2008-hwcd with a = -1) into a completed point.</summary>
    public CompletedPoint Double()
    {
        FieldElement xx = FieldElement.Square(X);
        FieldElement yy = FieldElement.Square(Y);
        FieldElement zz2 = FieldElement.Square2(Z);
        FieldElement xPlusYSquared = FieldElement.Square(FieldElement.Add(X, Y));
        FieldElement yyPlusXx = FieldElement.Add(yy, xx);
        FieldElement yyMinusXx = FieldElement.Sub(yy, xx);
        return new CompletedPoint(
            FieldElement.Sub(xPlusYSquared, yyPlusXx),
            yyPlusXx,
            yyMinusXx,
            FieldElement.Sub(zz2, yyMinusXx));
    }
}

/// <summary>((X:Z), (Y:T)) with x = X/Z, y = Y/T: the output of an addition or doubling.</summary>
internal readonly struct CompletedPoint
{
    public readonly FieldElement X, Y, Z, T;

    public CompletedPoint(in FieldElement x, in FieldElement y, in FieldElement z, in FieldElement t)
    {
        X = x;
        Y = y;
        Z = z;
        T = t;
    }

    public EdwardsPoint ToExtended() => new(
        FieldElement.Mul(X, T),
        FieldElement.Mul(Y, Z),
        FieldElement.Mul(Z, T),
        FieldElement.Mul(X, Y));

    public ProjectivePoint ToProjective() => new(
        FieldElement.Mul(X, T),
        FieldElement.Mul(Y, Z),
        FieldElement.Mul(Z, T));

    public static CompletedPoint Add(in EdwardsPoint a, in ProjectiveNielsPoint b)
    {
        FieldElement pp = FieldElement.Mul(FieldElement.Add(a.Y, a.X), b.YPlusX);
        FieldElement mm = FieldElement.Mul(FieldElement.Sub(a.Y, a.X), b.YMinusX);
        FieldElement tt2d = FieldElement.Mul(a.T, b.T2d);
        FieldElement zz = FieldElement.Mul(a.Z, b.Z);
        FieldElement zz2 = FieldElement.Add(zz, zz);
        return new CompletedPoint(
            FieldElement.Sub(pp, mm),
            FieldElement.Add(pp, mm),
            FieldElement.Add(zz2, tt2d),
            FieldElement.Sub(zz2, tt2d));
    }

    public static CompletedPoint Subtract(in EdwardsPoint a, in ProjectiveNielsPoint b)
    {
        FieldElement pm = FieldElement.Mul(FieldElement.Add(a.Y, a.X), b.YMinusX);
        FieldElement mp = FieldElement.Mul(FieldElement.Sub(a.Y, a.X), b.YPlusX);
        FieldElement tt2d = FieldElement.Mul(a.T, b.T2d);
        FieldElement zz = FieldElement.Mul(a.Z, b.Z);
        FieldElement zz2 = FieldElement.Add(zz, zz);
        return new CompletedPoint(
            FieldElement.Sub(pm, mp),
            FieldElement.Add(pm, mp),
            FieldElement.Sub(zz2, tt2d),
            FieldElement.Add(zz2, tt2d));
    }

    public static CompletedPoint Add(in EdwardsPoint a, in AffineNielsPoint b)
    {
        FieldElement pp = FieldElement.Mul(FieldElement.Add(a.Y, a.X), b.YPlusX);
        FieldElement mm = FieldElement.Mul(FieldElement.Sub(a.Y, a.X), b.YMinusX);
        FieldElement txy2d = FieldElement.Mul(a.T, b.XY2d);
        FieldElement z2 = FieldElement.Add(a.Z, a.Z);
        return new CompletedPoint(
            FieldElement.Sub(pp, mm),
            FieldElement.Add(pp, mm),
            FieldElement.Add(z2, txy2d),
            FieldElement.Sub(z2, txy2d));
    }

    public static CompletedPoint Subtract(in EdwardsPoint a, in AffineNielsPoint b)
    {
        FieldElement pm = FieldElement.Mul(FieldElement.Add(a.Y, a.X), b.YMinusX);
        FieldElement mp = FieldElement.Mul(FieldElement.Sub(a.Y, a.X), b.YPlusX);
        FieldElement txy2d = FieldElement.Mul(a.T, b.XY2d);
        FieldElement z2 = FieldElement.Add(a.Z, a.Z);
        return new CompletedPoint(
            FieldElement.Sub(pm, mp),
            FieldElement.Add(pm, mp),
            FieldElement.Sub(z2, txy2d),
            FieldElement.Add(z2, txy2d));
    }
}

/// <summary>(Y+X, Y-X, Z, 2dT): a point prepared for repeated additions.</summary>
internal readonly struct ProjectiveNielsPoint
{
    public readonly FieldElement YPlusX, YMinusX, Z, T2d;

    public ProjectiveNielsPoint(in FieldElement yPlusX, in FieldElement yMinusX, in FieldElement z, in FieldElement t2d)
    {
        YPlusX = yPlusX;
        YMinusX = yMinusX;
        Z = z;
        T2d = t2d;
    }
}

/// <summary>(y+x, y-x, 2dxy) of a normalized point (Z = 1): the form of precomputed tables.</summary>
internal readonly struct AffineNielsPoint
{
    public readonly FieldElement YPlusX, YMinusX, XY2d;

    public AffineNielsPoint(in FieldElement yPlusX, in FieldElement yMinusX, in FieldElement xy2d)
    {
        YPlusX = yPlusX;
        YMinusX = yMinusX;
        XY2d = xy2d;
    }

    public static AffineNielsPoint Identity => new(FieldElement.One, FieldElement.One, FieldElement.Zero);

    /// <summary>Negation swaps y+x with y-x and negates 2dxy.</summary>
    public AffineNielsPoint Negate() => new(YMinusX, YPlusX, FieldElement.Negate(XY2d));

    public static AffineNielsPoint Select(in AffineNielsPoint a, in AffineNielsPoint b, ulong choice) => new(
        FieldElement.Select(a.YPlusX, b.YPlusX, choice),
        FieldElement.Select(a.YMinusX, b.YMinusX, choice),
        FieldElement.Select(a.XY2d, b.XY2d, choice));
}
