// Batch verification with schnorrkel's verify_batch semantics: n signatures (R_i, s_i) on keys A_i
// with challenges k_i hold together when, for random 128-bit weights z_i from the OS CSPRNG,
//     (−Σ z_i·s_i)·B + Σ z_i·R_i + Σ (z_i·k_i)·A_i = 0   in ristretto255,
// computed with one multi-scalar multiplication. ristretto255 has prime order, so a batch holding
// any invalid signature passes with probability about 2^-128. Each item is the exact single-verify
// equation R_i = s_i·B − k_i·A_i: single verification compares the encoding of s·B − k·A with the R
// bytes, which (encodings being canonical) is the same as R decoding strictly to that element.
// Malformed items (lengths, marker bit, s ≥ ℓ, bad or identity key, R not a canonical encoding) are
// rejected before the batch, without throwing, just as single verification rejects them.
using System.Buffers;
using System.Security.Cryptography;

namespace SessionGate.Crypto;

public static partial class Sr25519
{
    /// <summary>The largest batch verified by one multi-scalar multiplication; longer inputs are split.</summary>
    public const int MaxBatchSize = 64;

    private const int WeightSize = 16;

    /// <summary>
    /// True when every signature in <paramref name="items"/> verifies (and for an empty batch), as
    /// schnorrkel's <c>verify_batch</c>. Faster per signature than <see cref="Verify(ReadOnlySpan{byte}, ReadOnlySpan{byte}, ReadOnlySpan{byte}, ReadOnlySpan{byte})"/>; never throws on malformed input.
    /// </summary>
    public static bool VerifyBatch(ReadOnlySpan<Sr25519SignatureItem> items)
    {
        PreparedSignature[] prepared = ArrayPool<PreparedSignature>.Shared.Rent(Math.Max(items.Length, 1));
        try
        {
            for (int i = 0; i < items.Length; i++)
            {
                if (!TryPrepare(items[i], out prepared[i]))
                {
                    return false;
                }
            }

            for (int start = 0; start < items.Length; start += MaxBatchSize)
            {
                if (!BatchHolds(prepared.AsSpan(start, Math.Min(MaxBatchSize, items.Length - start))))
                {
                    return false;
                }
            }

            return true;
        }
        finally
        {
            ArrayPool<PreparedSignature>.Shared.Return(prepared);
        }
    }

    /// <summary>
    /// Writes each signature's own verdict to <paramref name="results"/> (same length as
    /// <paramref name="items"/>): the well-formed ones are checked in batches, and a failing batch is
    /// bisected so that a bad signature never rejects good ones. Agrees with single verification.
    /// </summary>
    public static void VerifyEach(ReadOnlySpan<Sr25519SignatureItem> items, Span<bool> results)
    {
        if (results.Length != items.Length)
        {
            throw new ArgumentException("One result per item is needed.", nameof(results));
        }

        PreparedSignature[] prepared = ArrayPool<PreparedSignature>.Shared.Rent(Math.Max(items.Length, 1));
        int[] indices = ArrayPool<int>.Shared.Rent(Math.Max(items.Length, 1));
        try
        {
            int count = 0;
            for (int i = 0; i < items.Length; i++)
            {
                results[i] = false;
                if (TryPrepare(items[i], out prepared[count]))
                {
                    indices[count++] = i;
                }
            }

            for (int start = 0; start < count; start += MaxBatchSize)
            {
                int length = Math.Min(MaxBatchSize, count - start);
                Bisect(prepared.AsSpan(start, length), indices.AsSpan(start, length), results);
            }
        }
        finally
        {
            ArrayPool<PreparedSignature>.Shared.Return(prepared);
            ArrayPool<int>.Shared.Return(indices);
        }
    }

    private static void Bisect(ReadOnlySpan<PreparedSignature> prepared, ReadOnlySpan<int> indices, Span<bool> results)
    {
        if (prepared.Length == 1)
        {
            results[indices[0]] = prepared[0].HoldsAlone();
            return;
        }

        if (BatchHolds(prepared))
        {
            foreach (int index in indices)
            {
                results[index] = true;
            }

            return;
        }

        // Fresh weights in each half: the halves are new batches, not re-uses of the failed one.
        int half = prepared.Length / 2;
        Bisect(prepared[..half], indices[..half], results);
        Bisect(prepared[half..], indices[half..], results);
    }

    private static bool BatchHolds(ReadOnlySpan<PreparedSignature> batch)
    {
        int n = batch.Length;
        byte[] scalars = ArrayPool<byte>.Shared.Rent(2 * n * 32);
        EdwardsPoint[] points = ArrayPool<EdwardsPoint>.Shared.Rent(2 * n);
        try
        {
            Span<byte> weights = stackalloc byte[WeightSize * MaxBatchSize];
            weights = weights[..(WeightSize * n)];
            RandomNumberGenerator.Fill(weights);

            Span<byte> z32 = stackalloc byte[32];
            Scalar52 baseSum = Scalar52.Zero;
            for (int i = 0; i < n; i++)
            {
                z32.Clear();
                weights.Slice(i * WeightSize, WeightSize).CopyTo(z32);
                Scalar52 z = Scalar52.FromBytes(z32);

                z32.CopyTo(scalars.AsSpan(i * 32, 32));
                points[i] = batch[i].R;
                Scalar52.Mul(z, batch[i].K).ToBytes(scalars.AsSpan((n + i) * 32, 32));
                points[n + i] = batch[i].A;
                baseSum = Scalar52.Add(baseSum, Scalar52.Mul(z, batch[i].S));
            }

            Span<byte> baseScalar = stackalloc byte[32];
            Scalar52.Sub(Scalar52.Zero, baseSum).ToBytes(baseScalar);
            ProjectivePoint sum = MultiScalarMultiplication.StrausVartime(
                scalars.AsSpan(0, 2 * n * 32), points.AsSpan(0, 2 * n), baseScalar);

            // The identity of ristretto255 is the coset of (0, ±1) and (±i·…, 0): X = 0 or Y = 0.
            return (sum.X.IsZero() | sum.Y.IsZero()) == 1;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(scalars);
            ArrayPool<EdwardsPoint>.Shared.Return(points);
        }
    }

    private static bool TryPrepare(in Sr25519SignatureItem item, out PreparedSignature prepared)
    {
        prepared = default;
        ReadOnlySpan<byte> signature = item.Signature.Span;
        ReadOnlySpan<byte> publicKey = item.PublicKey.Span;
        if (signature.Length != SignatureSize || (signature[63] & 0x80) == 0)
        {
            return false;
        }

        Span<byte> s = stackalloc byte[32];
        signature[32..].CopyTo(s);
        s[31] &= 0x7f;
        if (!Scalar52.IsCanonical(s)
            || !TryDecodePublicKey(publicKey, out EdwardsPoint a)
            || !Ristretto255.TryDecode(signature[..32], out EdwardsPoint r))
        {
            return false;
        }

        MerlinTranscript transcript = Sr25519Transcript.Begin(item.Context.Span, item.Message.Span, publicKey);
        Span<byte> k = stackalloc byte[32];
        Sr25519Transcript.Challenge(ref transcript, signature[..32], k);
        prepared = new PreparedSignature(a, r, Scalar52.FromBytes(s), Scalar52.FromBytes(k));
        return true;
    }

    /// <summary>A well-formed signature, decoded: key A, commitment R, response s, challenge k.</summary>
    private readonly struct PreparedSignature(EdwardsPoint a, EdwardsPoint r, Scalar52 s, Scalar52 k)
    {
        public EdwardsPoint A { get; } = a;

        public EdwardsPoint R { get; } = r;

        public Scalar52 S { get; } = s;

        public Scalar52 K { get; } = k;

        /// <summary>The single-signature equation R = s·B − k·A, as group elements.</summary>
        public bool HoldsAlone()
        {
            Span<byte> kBytes = stackalloc byte[32];
            Span<byte> sBytes = stackalloc byte[32];
            K.ToBytes(kBytes);
            S.ToBytes(sBytes);
            EdwardsPoint expected = ScalarMultiplication.DoubleScalarMulBasepointVartime(kBytes, A.Negate(), sBytes);
            return Ristretto255.Equals(expected, R);
        }
    }
}
