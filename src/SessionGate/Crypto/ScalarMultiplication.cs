// Scalar multiplication on edwards25519.
// - BasepointMul: constant time (signing, key derivation). Signed radix-16 digits with a table of
//   (j+1)·16^(2i)·B; every table row is scanned in full and selected by masks, so neither branches
//   nor memory addresses depend on the secret scalar (ref10's ge_scalarmult_base layout).
// - DoubleScalarMulBasepointVartime: a·A + b·B for verification, where a, b and A are public.
//   Width-5 NAF for A, width-8 NAF against a precomputed table of odd multiples of B.
namespace SessionGate.Crypto;

internal static class ScalarMultiplication
{
    private const int BaseTableRows = 32;
    private const int BaseTableColumns = 8;
    internal const int BaseNafWidth = 8;
    private const int VariableNafWidth = 5;

    // BaseTable[i * 8 + j] = (j + 1) · 256^i · B
    private static readonly AffineNielsPoint[] BaseTable = BuildBaseTable();

    // OddBaseMultiples[k] = (2k + 1) · B, for the width-8 NAF of the public scalar in verification.
    private static readonly AffineNielsPoint[] OddBaseMultiples = BuildOddMultiples(EdwardsPoint.Basepoint, 1 << (BaseNafWidth - 2));

    /// <summary>s·B in constant time. <paramref name="scalar"/> must be below 2^255 (any reduced scalar is).</summary>
    public static EdwardsPoint BasepointMul(ReadOnlySpan<byte> scalar)
    {
        Span<sbyte> digits = stackalloc sbyte[64];
        ScalarRecoding.ToRadix16(scalar, digits);

        EdwardsPoint h = EdwardsPoint.Identity;
        for (int i = 1; i < 64; i += 2)
        {
            h = CompletedPoint.Add(h, SelectBase(i / 2, digits[i])).ToExtended();
        }

        // Multiply by 16 with four doublings.
        ProjectivePoint p = h.ToProjective();
        p = p.Double().ToProjective();
        p = p.Double().ToProjective();
        p = p.Double().ToProjective();
        h = p.Double().ToExtended();

        for (int i = 0; i < 64; i += 2)
        {
            h = CompletedPoint.Add(h, SelectBase(i / 2, digits[i])).ToExtended();
        }

        digits.Clear();
        return h;
    }

    /// <summary>a·A + b·B in variable time. Scalars are 32 little-endian bytes below 2^255.</summary>
    public static EdwardsPoint DoubleScalarMulBasepointVartime(ReadOnlySpan<byte> a, in EdwardsPoint pointA, ReadOnlySpan<byte> b)
    {
        Span<sbyte> nafA = stackalloc sbyte[256];
        Span<sbyte> nafB = stackalloc sbyte[256];
        ScalarRecoding.ToNonAdjacentForm(a, VariableNafWidth, nafA);
        ScalarRecoding.ToNonAdjacentForm(b, BaseNafWidth, nafB);

        Span<ProjectiveNielsPoint> tableA = stackalloc ProjectiveNielsPoint[1 << (VariableNafWidth - 2)];
        BuildOddMultiples(pointA, tableA);

        int i = 255;
        while (i >= 0 && nafA[i] == 0 && nafB[i] == 0)
        {
            i--;
        }

        ProjectivePoint r = ProjectivePoint.Identity;
        for (; i >= 0; i--)
        {
            CompletedPoint t = r.Double();
            if (nafA[i] != 0 || nafB[i] != 0)
            {
                EdwardsPoint e = t.ToExtended();
                if (nafA[i] > 0)
                {
                    e = CompletedPoint.Add(e, tableA[nafA[i] / 2]).ToExtended();
                }
                else if (nafA[i] < 0)
                {
                    e = CompletedPoint.Subtract(e, tableA[-nafA[i] / 2]).ToExtended();
                }

                if (nafB[i] > 0)
                {
                    t = CompletedPoint.Add(e, OddBaseMultiples[nafB[i] / 2]);
                }
                else if (nafB[i] < 0)
                {
                    t = CompletedPoint.Subtract(e, OddBaseMultiples[-nafB[i] / 2]);
                }
                else
                {
                    r = e.ToProjective();
                    continue;
                }
            }

            r = t.ToProjective();
        }

        // The last step produced a projective point; recover T for the caller with one more pass.
        return ToExtended(r);
    }

    /// <summary>e + digit·B for an odd width-8 NAF digit (variable time: public digits only).</summary>
    internal static CompletedPoint AddBaseMultiple(in EdwardsPoint e, int digit) => digit > 0
        ? CompletedPoint.Add(e, OddBaseMultiples[digit / 2])
        : CompletedPoint.Subtract(e, OddBaseMultiples[-digit / 2]);

    private static EdwardsPoint ToExtended(in ProjectivePoint p) => new(
        FieldElement.Mul(p.X, p.Z),
        FieldElement.Mul(p.Y, p.Z),
        FieldElement.Square(p.Z),
        FieldElement.Mul(p.X, p.Y));

    /// <summary>Returns digit·256^row·B (digit in [-8, 8]) scanning the whole row.</summary>
    private static AffineNielsPoint SelectBase(int row, sbyte digit)
    {
        // |digit| and its sign without branching: mask is all ones when digit is negative.
        int mask = digit >> 7;
        int absolute = (digit + mask) ^ mask;

        AffineNielsPoint selected = AffineNielsPoint.Identity;
        int offset = row * BaseTableColumns;
        for (int j = 1; j <= BaseTableColumns; j++)
        {
            // equal is 1 when absolute == j, else 0, computed without a comparison branch.
            ulong equal = (ulong)((uint)((absolute ^ j) - 1) >> 31);
            selected = AffineNielsPoint.Select(selected, BaseTable[offset + j - 1], equal);
        }

        return AffineNielsPoint.Select(selected, selected.Negate(), (ulong)(mask & 1));
    }

    private static AffineNielsPoint[] BuildBaseTable()
    {
        var table = new AffineNielsPoint[BaseTableRows * BaseTableColumns];
        EdwardsPoint rowBase = EdwardsPoint.Basepoint;
        for (int i = 0; i < BaseTableRows; i++)
        {
            EdwardsPoint multiple = rowBase;
            for (int j = 0; j < BaseTableColumns; j++)
            {
                table[(i * BaseTableColumns) + j] = multiple.ToAffineNiels();
                multiple = EdwardsPoint.Add(multiple, rowBase);
            }

            // Next row: 256 · rowBase (eight doublings).
            for (int k = 0; k < 8; k++)
            {
                rowBase = rowBase.Double();
            }
        }

        return table;
    }

    private static AffineNielsPoint[] BuildOddMultiples(in EdwardsPoint point, int count)
    {
        var table = new AffineNielsPoint[count];
        EdwardsPoint twice = point.Double();
        EdwardsPoint current = point;
        for (int k = 0; k < count; k++)
        {
            table[k] = current.ToAffineNiels();
            current = EdwardsPoint.Add(current, twice);
        }

        return table;
    }

    /// <summary>P, 3P, 5P, … into <paramref name="table"/> (the window tables of single and multi-scalar multiplication).</summary>
    internal static void BuildOddMultiples(in EdwardsPoint point, Span<ProjectiveNielsPoint> table)
    {
        ProjectiveNielsPoint twice = point.Double().ToProjectiveNiels();
        EdwardsPoint current = point;
        table[0] = current.ToProjectiveNiels();
        for (int k = 1; k < table.Length; k++)
        {
            current = CompletedPoint.Add(current, twice).ToExtended();
            table[k] = current.ToProjectiveNiels();
        }
    }
}
