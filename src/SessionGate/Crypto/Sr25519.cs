// sr25519: Schnorr signatures over ristretto255 with Merlin transcripts, bit-compatible with the
// Rust schnorrkel crate (0.11) that Substrate, Polkadot and KIRA session keys use.
// Sizes: public key 32 bytes (ristretto255 encoding), signature 64 bytes (R ‖ s, with the
// schnorrkel marker bit 0x80 set in byte 63), mini secret key 32 bytes, secret key 64 bytes.
//
// Deliberate deviation from schnorrkel: the identity element (the all-zero public key) is always
// rejected. schnorrkel accepts it, and under it anyone can forge a signature on any message
// (R = s·B verifies for every s). Everything else verifies exactly as schnorrkel does.
using System.Security.Cryptography;

namespace SessionGate.Crypto;

/// <summary>sr25519 (schnorrkel) signature verification and sizes.</summary>
public static partial class Sr25519
{
    /// <summary>Size of a public key: a ristretto255 element encoding.</summary>
    public const int PublicKeySize = 32;

    /// <summary>Size of a signature: R (32) ‖ s (32) with bit 7 of the last byte set.</summary>
    public const int SignatureSize = 64;

    /// <summary>Size of a mini secret key (the seed that Polkadot tools show).</summary>
    public const int MiniSecretKeySize = 32;

    /// <summary>Size of an expanded secret key: scalar (32) ‖ nonce (32).</summary>
    public const int SecretKeySize = 64;

    /// <summary>Size of the randomness that signing mixes into its nonce (schnorrkel's transcript RNG input).</summary>
    public const int SigningRandomnessSize = 32;

    /// <summary>The signing context Substrate uses, and SessionGate's default.</summary>
    public static ReadOnlySpan<byte> SubstrateContext => "substrate"u8;

    /// <summary>Verifies a signature made with the <c>substrate</c> signing context.</summary>
    public static bool Verify(ReadOnlySpan<byte> publicKey, ReadOnlySpan<byte> message, ReadOnlySpan<byte> signature) =>
        Verify(publicKey, SubstrateContext, message, signature);

    /// <summary>
    /// Verifies <paramref name="signature"/> on <paramref name="message"/> under <paramref name="context"/>.
    /// Returns false, never throws, for any malformed input: wrong lengths, a missing marker bit,
    /// s ≥ ℓ, a public key that is not a canonical ristretto255 encoding, or the identity public key.
    /// </summary>
    public static bool Verify(ReadOnlySpan<byte> publicKey, ReadOnlySpan<byte> context, ReadOnlySpan<byte> message, ReadOnlySpan<byte> signature)
    {
        if (!TryDecodePublicKey(publicKey, out EdwardsPoint pointA))
        {
            return false;
        }

        return VerifyDecoded(publicKey, pointA, context, message, signature);
    }

    /// <summary>True when <paramref name="publicKey"/> is a canonical, non-identity ristretto255 encoding.</summary>
    public static bool IsValidPublicKey(ReadOnlySpan<byte> publicKey) => TryDecodePublicKey(publicKey, out _);

    /// <summary>Decodes a public key through the shared bounded cache of decoded keys.</summary>
    internal static bool TryDecodePublicKey(ReadOnlySpan<byte> publicKey, out EdwardsPoint point) =>
        Sr25519PublicKeyCache.Shared.TryDecode(publicKey, out point);

    internal static bool DecodePublicKeyUncached(ReadOnlySpan<byte> publicKey, out EdwardsPoint point) =>
        Ristretto255.TryDecode(publicKey, out point) && !Ristretto255.IsIdentity(point);

    internal static bool VerifyDecoded(ReadOnlySpan<byte> publicKey, in EdwardsPoint pointA, ReadOnlySpan<byte> context, ReadOnlySpan<byte> message, ReadOnlySpan<byte> signature)
    {
        if (signature.Length != SignatureSize || (signature[63] & 0x80) == 0)
        {
            return false;
        }

        Span<byte> s = stackalloc byte[32];
        signature[32..].CopyTo(s);
        s[31] &= 0x7f;
        if (!Scalar52.IsCanonical(s))
        {
            return false;
        }

        ReadOnlySpan<byte> encodedR = signature[..32];
        MerlinTranscript transcript = Sr25519Transcript.Begin(context, message, publicKey);
        Span<byte> k = stackalloc byte[32];
        Sr25519Transcript.Challenge(ref transcript, encodedR, k);

        // R' = k·(-A) + s·B; the signature holds when R' encodes to exactly the R bytes sent.
        EdwardsPoint expectedR = ScalarMultiplication.DoubleScalarMulBasepointVartime(k, pointA.Negate(), s);
        Span<byte> encodedExpected = stackalloc byte[32];
        Ristretto255.Encode(expectedR, encodedExpected);
        return CryptographicOperations.FixedTimeEquals(encodedExpected, encodedR);
    }
}
