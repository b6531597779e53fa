// An sr25519 signing key pair (schnorrkel Keypair): secret scalar, 32-byte nonce seed, public key.
// Mini secret expansion uses schnorrkel's ExpansionMode::Ed25519 (what Substrate and polkadot{.js}
// use): SHA-512(mini), clamp the low half as Ed25519 does, divide it by the cofactor 8.
using System.Security.Cryptography;

namespace SessionGate.Crypto;

/// <summary>An sr25519 key pair. Holds secret material: dispose it to zero the secret.</summary>
public sealed class Sr25519KeyPair : IDisposable
{
    private readonly byte[] _secretScalar = new byte[32];
    private readonly byte[] _nonce = new byte[32];
    private readonly byte[] _publicKey = new byte[Sr25519.PublicKeySize];
    private bool _disposed;

    private Sr25519KeyPair()
    {
    }

    /// <summary>The 32-byte public key (a ristretto255 encoding).</summary>
    public ReadOnlySpan<byte> PublicKey => _publicKey;

    /// <summary>Creates a key pair from a fresh mini secret drawn from the operating system's CSPRNG.</summary>
    public static Sr25519KeyPair Generate()
    {
        Span<byte> mini = stackalloc byte[Sr25519.MiniSecretKeySize];
        RandomNumberGenerator.Fill(mini);
        try
        {
            return FromMiniSecret(mini);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(mini);
        }
    }

    /// <summary>Derives the key pair of a 32-byte mini secret (schnorrkel <c>ExpansionMode::Ed25519</c>).</summary>
    /// <exception cref="ArgumentException">The mini secret is not 32 bytes.</exception>
    public static Sr25519KeyPair FromMiniSecret(ReadOnlySpan<byte> miniSecret)
    {
        if (miniSecret.Length != Sr25519.MiniSecretKeySize)
        {
            throw new ArgumentException($"A mini secret key is {Sr25519.MiniSecretKeySize} bytes.", nameof(miniSecret));
        }

        Span<byte> hash = stackalloc byte[64];
        SHA512.HashData(miniSecret, hash);
        try
        {
            hash[0] &= 248;
            hash[31] &= 63;
            hash[31] |= 64;
            var pair = new Sr25519KeyPair();
            DivideByCofactor(hash[..32], pair._secretScalar);
            hash[32..].CopyTo(pair._nonce);
            pair.DerivePublicKey();
            return pair;
        }
        finally
        {
            CryptographicOperations.ZeroMemory(hash);
        }
    }

    /// <summary>
    /// Imports a 64-byte secret key (scalar ‖ nonce) in the given layout. Returns false, without
    /// throwing, for a wrong length or (in <see cref="Sr25519SecretKeyFormat.Schnorrkel"/>) a scalar not below ℓ.
    /// </summary>
    public static bool TryImportSecretKey(ReadOnlySpan<byte> secretKey, Sr25519SecretKeyFormat format, out Sr25519KeyPair? keyPair)
    {
        keyPair = null;
        if (secretKey.Length != Sr25519.SecretKeySize)
        {
            return false;
        }

        var pair = new Sr25519KeyPair();
        switch (format)
        {
            case Sr25519SecretKeyFormat.Schnorrkel:
                if (!Scalar52.IsCanonical(secretKey[..32]))
                {
                    return false;
                }

                secretKey[..32].CopyTo(pair._secretScalar);
                break;
            case Sr25519SecretKeyFormat.Ed25519:
                // schnorrkel's from_ed25519_bytes: divide by the cofactor, then reduce modulo ℓ.
                Span<byte> divided = stackalloc byte[32];
                DivideByCofactor(secretKey[..32], divided);
                Scalar52.FromBytesModOrder(divided).ToBytes(pair._secretScalar);
                CryptographicOperations.ZeroMemory(divided);
                break;
            default:
                return false;
        }

        secretKey[32..].CopyTo(pair._nonce);
        pair.DerivePublicKey();
        keyPair = pair;
        return true;
    }

    /// <summary>Writes the 64-byte secret key (scalar ‖ nonce) in the given layout.</summary>
    public void ExportSecretKey(Span<byte> destination, Sr25519SecretKeyFormat format)
    {
        ThrowIfDisposed();
        if (destination.Length != Sr25519.SecretKeySize)
        {
            throw new ArgumentException($"A secret key is {Sr25519.SecretKeySize} bytes.", nameof(destination));
        }

        if (format == Sr25519SecretKeyFormat.Ed25519)
        {
            MultiplyByCofactor(_secretScalar, destination[..32]);
        }
        else
        {
            _secretScalar.CopyTo(destination);
        }

        _nonce.CopyTo(destination[32..]);
    }

    /// <summary>Signs with the <c>substrate</c> context and fresh OS randomness.</summary>
    public byte[] Sign(ReadOnlySpan<byte> message) => Sign(Sr25519.SubstrateContext, message);

    /// <summary>Signs under <paramref name="context"/> with fresh OS randomness.</summary>
    public byte[] Sign(ReadOnlySpan<byte> context, ReadOnlySpan<byte> message)
    {
        byte[] signature = new byte[Sr25519.SignatureSize];
        Sign(context, message, signature);
        return signature;
    }

    /// <summary>Signs under <paramref name="context"/> into <paramref name="signature"/> (64 bytes).</summary>
    /// <param name="context">The signing context, e.g. <c>substrate</c>.</param>
    /// <param name="message">The message bytes.</param>
    /// <param name="signature">Receives R ‖ s with the schnorrkel marker bit.</param>
    /// <param name="random">
    /// Source of the 32 bytes schnorrkel mixes into the nonce; defaults to the OS CSPRNG. The nonce also
    /// depends on the secret nonce seed and the whole transcript, so a weak source does not leak the key
    /// on its own, but tests are the only place for a deterministic one.
    /// </param>
    public void Sign(ReadOnlySpan<byte> context, ReadOnlySpan<byte> message, Span<byte> signature, RandomNumberGenerator? random = null)
    {
        Span<byte> randomness = stackalloc byte[Sr25519.SigningRandomnessSize];
        if (random is null)
        {
            RandomNumberGenerator.Fill(randomness);
        }
        else
        {
            random.GetBytes(randomness);
        }

        SignWithRandomness(context, message, randomness, signature);
        CryptographicOperations.ZeroMemory(randomness);
    }

    /// <summary>Signs with explicit transcript-RNG input (as schnorrkel's <c>sign</c> given an RNG returning these bytes).</summary>
    internal void SignWithRandomness(ReadOnlySpan<byte> context, ReadOnlySpan<byte> message, ReadOnlySpan<byte> randomness32, Span<byte> signature)
    {
        ThrowIfDisposed();
        if (signature.Length != Sr25519.SignatureSize)
        {
            throw new ArgumentException($"A signature is {Sr25519.SignatureSize} bytes.", nameof(signature));
        }

        if (randomness32.Length != Sr25519.SigningRandomnessSize)
        {
            throw new ArgumentException($"Signing randomness is {Sr25519.SigningRandomnessSize} bytes.", nameof(randomness32));
        }

        MerlinTranscript transcript = Sr25519Transcript.Begin(context, message, _publicKey);

        Span<byte> witness = stackalloc byte[64];
        Span<byte> r = stackalloc byte[32];
        Span<byte> k = stackalloc byte[32];
        try
        {
            transcript.WitnessBytes("signing"u8, _nonce, randomness32, witness);
            Scalar52 nonceScalar = Scalar52.FromBytesWide(witness);
            nonceScalar.ToBytes(r);

            EdwardsPoint pointR = ScalarMultiplication.BasepointMul(r);
            Ristretto255.Encode(pointR, signature[..32]);

            Sr25519Transcript.Challenge(ref transcript, signature[..32], k);

            // s = k·secret + r (mod ℓ), in constant time.
            Scalar52 s = Scalar52.Add(Scalar52.Mul(Scalar52.FromBytes(k), Scalar52.FromBytes(_secretScalar)), nonceScalar);
            s.ToBytes(signature[32..]);
            signature[63] |= 0x80;
        }
        finally
        {
            CryptographicOperations.ZeroMemory(witness);
            CryptographicOperations.ZeroMemory(r);
        }
    }

    /// <summary>Zeroes the secret scalar and nonce seed.</summary>
    public void Dispose()
    {
        CryptographicOperations.ZeroMemory(_secretScalar);
        CryptographicOperations.ZeroMemory(_nonce);
        _disposed = true;
    }

    private void DerivePublicKey() => Ristretto255.Encode(ScalarMultiplication.BasepointMul(_secretScalar), _publicKey);

    private void ThrowIfDisposed() => ObjectDisposedException.ThrowIf(_disposed, this);

    /// <summary>Little-endian right shift by 3 bits (schnorrkel divide_scalar_bytes_by_cofactor).</summary>
    private static void DivideByCofactor(ReadOnlySpan<byte> source, Span<byte> destination)
    {
        byte low = 0;
        for (int i = 31; i >= 0; i--)
        {
            byte b = source[i];
            destination[i] = (byte)((b >> 3) | low);
            low = (byte)(b << 5);
        }
    }

    /// <summary>Little-endian left shift by 3 bits (schnorrkel multiply_scalar_bytes_by_cofactor).</summary>
    private static void MultiplyByCofactor(ReadOnlySpan<byte> source, Span<byte> destination)
    {
        byte high = 0;
        for (int i = 0; i < 32; i++)
        {
            byte b = source[i];
            destination[i] = (byte)((b << 3) | high);
            high = (byte)(b >> 5);
        }
    }
}
