using Sha256 = System.Security.Cryptography.SHA256;
using NBitcoin.Secp256k1;
using Org.BouncyCastle.Crypto.Digests;
using SessionGate.Protocol;

namespace SessionGate.Grants;

/// <summary>
/// The Cosmos SDK's account keys: secp256k1 (SEC 1), 33-byte compressed public keys, addresses
/// bech32(prefix, RIPEMD-160(SHA-256(compressed key))), ECDSA signatures as 64 bytes r||s over
/// SHA-256 of the sign bytes, low-S only (as the SDK's <c>VerifySignature</c> requires).
/// secp256k1 is NBitcoin.Secp256k1 (a managed port of libsecp256k1); RIPEMD-160 is BouncyCastle's,
/// since .NET has none on Linux. Every method returns false on malformed input and never throws.
/// </summary>
public static class CosmosSecp256k1
{
    /// <summary>Size of a compressed public key.</summary>
    public const int CompressedPublicKeySize = 33;

    /// <summary>Size of a compact signature (r||s).</summary>
    public const int SignatureSize = 64;

    /// <summary>True when <paramref name="publicKey"/> is a 33-byte compressed point on the curve.</summary>
    public static bool IsValidCompressedPublicKey(ReadOnlySpan<byte> publicKey) =>
        publicKey.Length == CompressedPublicKeySize && publicKey[0] is 0x02 or 0x03
        && ECPubKey.TryCreate(publicKey, Context.Instance, out bool compressed, out ECPubKey? key) && compressed && key is not null;

    /// <summary>The 20-byte account payload of a compressed public key: RIPEMD-160(SHA-256(key)).</summary>
    public static byte[] AccountPayload(ReadOnlySpan<byte> compressedPublicKey)
    {
        Span<byte> sha = stackalloc byte[32];
        Sha256.HashData(compressedPublicKey, sha);
        var ripemd = new RipeMD160Digest();
        ripemd.BlockUpdate(sha);
        byte[] payload = new byte[AccountAddress.PayloadSize];
        ripemd.DoFinal(payload);
        return payload;
    }

    /// <summary>The bech32 account address of a compressed public key.</summary>
    public static string AccountAddressOf(ReadOnlySpan<byte> compressedPublicKey, string prefix) =>
        AccountAddress.Encode(prefix, AccountPayload(compressedPublicKey));

    /// <summary>
    /// Verifies an ECDSA signature (r||s, low-S) by <paramref name="compressedPublicKey"/> over
    /// SHA-256 of <paramref name="message"/>.
    /// </summary>
    public static bool Verify(ReadOnlySpan<byte> compressedPublicKey, ReadOnlySpan<byte> message, ReadOnlySpan<byte> signature)
    {
        if (signature.Length != SignatureSize || compressedPublicKey.Length != CompressedPublicKeySize || compressedPublicKey[0] is not (0x02 or 0x03))
        {
            return false;
        }

        if (!ECPubKey.TryCreate(compressedPublicKey, Context.Instance, out bool compressed, out ECPubKey? key) || !compressed || key is null)
        {
            return false;
        }

        // TryCreateFromCompact refuses r or s not below the group order; zero values fail verification.
        if (!SecpECDSASignature.TryCreateFromCompact(signature, out SecpECDSASignature? parsed) || parsed is null)
        {
            return false;
        }

        // Malleability: the SDK (and libsecp256k1's verify) accept only the low-S form.
        if (parsed.s.IsHigh || parsed.s.IsZero || parsed.r.IsZero)
        {
            return false;
        }

        Span<byte> digest = stackalloc byte[32];
        Sha256.HashData(message, digest);
        return key.SigVerify(parsed, digest);
    }
}
