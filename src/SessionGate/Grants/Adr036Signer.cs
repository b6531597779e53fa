using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography;
using System.Text;
using Sha256 = System.Security.Cryptography.SHA256;
using NBitcoin.Secp256k1;

namespace SessionGate.Grants;

/// <summary>
/// Signs a text the way Keplr's <c>signArbitrary(chainId, signer, data)</c> does (ADR-036): ECDSA
/// secp256k1 over SHA-256 of <see cref="Adr036SignDoc"/>, deterministic nonces (RFC 6979), low-S,
/// 64 bytes r||s, with the 33-byte compressed public key beside it. The counterpart of
/// <see cref="CosmosSecp256k1.Verify"/>; for the CLI (<c>sessiongate grant</c>) and tests, so neither
/// needs a browser wallet. The private key is 32 bytes (a scalar in [1, n−1]); it is zeroed on dispose.
/// </summary>
public sealed class Adr036Signer : IDisposable
{
    /// <summary>Size of a secp256k1 private key.</summary>
    public const int PrivateKeySize = 32;

    /// <summary>The amino type of the public key in Keplr's answer.</summary>
    public const string PublicKeyType = "tendermint/PubKeySecp256k1";

    private readonly ECPrivKey _key;
    private readonly byte[] _publicKey;

    private Adr036Signer(ECPrivKey key)
    {
        _key = key;
        _publicKey = new byte[CosmosSecp256k1.CompressedPublicKeySize];
        key.CreatePubKey().WriteToSpan(true, _publicKey, out _);
    }

    /// <summary>The compressed public key (33 bytes, 02 or 03 prefix).</summary>
    public ReadOnlySpan<byte> PublicKey => _publicKey;

    /// <summary>
    /// A signer for <paramref name="privateKey"/>; false when it is not 32 bytes or not a valid
    /// scalar (zero, or not below the group order). Never throws on bad input.
    /// </summary>
    public static bool TryCreate(ReadOnlySpan<byte> privateKey, [NotNullWhen(true)] out Adr036Signer? signer)
    {
        signer = null;
        if (privateKey.Length != PrivateKeySize || !ECPrivKey.TryCreate(privateKey, out ECPrivKey? key) || key is null)
        {
            return false;
        }

        signer = new Adr036Signer(key);
        return true;
    }

    /// <summary>A signer for a fresh random private key; the key's bytes are written to <paramref name="privateKey"/>.</summary>
    public static Adr036Signer Generate(Span<byte> privateKey)
    {
        if (privateKey.Length != PrivateKeySize)
        {
            throw new ArgumentException($"The private key buffer must be {PrivateKeySize} bytes.", nameof(privateKey));
        }

        // A random 32-byte string is a valid scalar except with probability about 2^-128; draw again then.
        while (true)
        {
            RandomNumberGenerator.Fill(privateKey);
            if (TryCreate(privateKey, out Adr036Signer? signer))
            {
                return signer;
            }
        }
    }

    /// <summary>The bech32 account of this key for <paramref name="prefix"/> (e.g. <c>kira1…</c>).</summary>
    public string AccountAddress(string prefix) => CosmosSecp256k1.AccountAddressOf(_publicKey, prefix);

    /// <summary>
    /// The 64-byte r||s signature of <paramref name="message"/> (its UTF-8 bytes) as signed data of
    /// <paramref name="signer"/>, the bech32 account named in the sign doc.
    /// </summary>
    /// <exception cref="ArgumentException">The signer is not a lowercase bech32 address.</exception>
    public byte[] SignArbitrary(string signer, string message)
    {
        ArgumentNullException.ThrowIfNull(message);
        byte[] signDoc = Adr036SignDoc.Create(Encoding.UTF8.GetBytes(message), signer);
        Span<byte> digest = stackalloc byte[32];
        Sha256.HashData(signDoc, digest);

        // libsecp256k1's signing (and this port of it) always returns the low-S form.
        SecpECDSASignature signature = _key.SignECDSARFC6979(digest);
        byte[] compact = new byte[CosmosSecp256k1.SignatureSize];
        signature.WriteCompactToSpan(compact);
        return compact;
    }

    /// <summary>Zeroes the private key.</summary>
    public void Dispose() => _key.Dispose();
}
