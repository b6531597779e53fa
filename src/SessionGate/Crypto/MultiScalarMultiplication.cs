// Variable-time multi-scalar multiplication Σ c_i·P_i + b·B for batch verification (public data
// only). Straus' interleaved method: one shared chain of ~253 doublings, and per point a width-5 NAF
// against a table of its odd multiples P, 3P, …, 15P; the basepoint term uses the static width-8
// table of ScalarMultiplication. Why Straus and not Pippenger: batches here are bounded (64
// signatures = 129 points), and Pippenger's bucket method only wins above roughly 190 points
// (curve25519-dalek's crossover); below that its 2^c buckets per window cost more than the tables.
using System.Buffers;

namespace SessionGate.Crypto;

internal static class MultiScalarMultiplication
{
    private const int NafWidth = 5;
    private const int TableSize = 1 << (NafWidth - 2);

    /// <summary>
    /// Returns Σ scalars[i]·points[i] + baseScalar·B. Each scalar is 32 little-endian bytes below 2^255
    /// (scalars.Length = 32 · points.Length).
    /// </summary>
    public static ProjectivePoint StrausVartime(ReadOnlySpan<byte> scalars, ReadOnlySpan<EdwardsPoint> points, ReadOnlySpan<byte> baseScalar)
    {
        int n = points.Length;
        sbyte[] nafs = ArrayPool<sbyte>.Shared.Rent((n + 1) * 256);
        ProjectiveNielsPoint[] tables = ArrayPool<ProjectiveNielsPoint>.Shared.Rent(n * TableSize);
        try
        {
            int top = -1;
            for (int j = 0; j < n; j++)
            {
                Span<sbyte> naf = nafs.AsSpan(j * 256, 256);
                ScalarRecoding.ToNonAdjacentForm(scalars.Slice(j * 32, 32), NafWidth, naf);
                top = Math.Max(top, TopDigit(naf));
                ScalarMultiplication.BuildOddMultiples(points[j], tables.AsSpan(j * TableSize, TableSize));
            }

            Span<sbyte> baseNaf = nafs.AsSpan(n * 256, 256);
            ScalarRecoding.ToNonAdjacentForm(baseScalar, ScalarMultiplication.BaseNafWidth, baseNaf);
            top = Math.Max(top, TopDigit(baseNaf));

            ProjectivePoint r = ProjectivePoint.Identity;
            for (int i = top; i >= 0; i--)
            {
                CompletedPoint t = r.Double();
                for (int j = 0; j < n; j++)
                {
                    int digit = nafs[(j * 256) + i];
                    if (digit > 0)
                    {
                        t = CompletedPoint.Add(t.ToExtended(), tables[(j * TableSize) + (digit / 2)]);
                    }
                    else if (digit < 0)
                    {
                        t = CompletedPoint.Subtract(t.ToExtended(), tables[(j * TableSize) + (-digit / 2)]);
                    }
                }

                int b = baseNaf[i];
                if (b != 0)
                {
                    t = ScalarMultiplication.AddBaseMultiple(t.ToExtended(), b);
                }

                r = t.ToProjective();
            }

            return r;
        }
        finally
        {
            ArrayPool<sbyte>.Shared.Return(nafs);
            ArrayPool<ProjectiveNielsPoint>.Shared.Return(tables);
        }
    }

    private static int TopDigit(ReadOnlySpan<sbyte> naf)
    {
        int i = 255;
        while (i >= 0 && naf[i] == 0)
        {
            i--;
        }

        return i;
    }
}
