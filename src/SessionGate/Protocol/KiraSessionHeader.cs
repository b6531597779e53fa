// The kira_session header (DESIGN §1, KIP_9.1 / KIP_18): a JSON object
//   {"pubkey":"0x<64 hex>","account":"kira1…","block_hash":"<64 hex>","nonce":0,"signature":"0x<128 hex>"}
// whose signature is over the exact bytes
//   {"account":"<account>","block_hash":"<block_hash as sent>","nonce":<nonce in decimal>}
// (what JSON.stringify({account, block_hash, nonce}) produces), or over that wrapped in <Bytes>…</Bytes>.
using SessionGate.Crypto;

namespace SessionGate.Protocol;

/// <summary>A parsed, well-formed <c>kira_session</c> header. Parsing does not verify the signature.</summary>
public sealed partial class KiraSessionHeader
{
    /// <summary>The header name.</summary>
    public const string HeaderName = "kira_session";

    /// <summary>Largest accepted header value, in UTF-8 bytes.</summary>
    public const int MaxLength = 2048;

    /// <summary>
    /// Size of a header's canonical content (<see cref="TryReadCanonical"/>): public key (32) ‖ block
    /// hash (32) ‖ nonce (8, little-endian) ‖ account payload (20) ‖ signature (64). Two headers with
    /// the same content differ only in spelling (hex case, <c>0x</c>, account case, JSON whitespace,
    /// escapes, field order, nonce as number or string).
    /// </summary>
    public const int CanonicalContentSize = 156;

    private KiraSessionHeader(Bytes32 publicKey, string account, string normalizedAccount, string blockHashText, Bytes32 blockHash, ulong nonce, byte[] signature)
    {
        PublicKey = publicKey;
        Account = account;
        NormalizedAccount = normalizedAccount;
        BlockHashText = blockHashText;
        BlockHash = blockHash;
        Nonce = nonce;
        Signature = signature;
    }

    /// <summary>The session (signer) public key.</summary>
    public Bytes32 PublicKey { get; }

    /// <summary>The account exactly as sent (it is part of the signed message).</summary>
    public string Account { get; }

    /// <summary>The account in canonical lowercase form (what directories and quotas are keyed by).</summary>
    public string NormalizedAccount { get; }

    /// <summary>The block hash exactly as sent (it is part of the signed message).</summary>
    public string BlockHashText { get; }

    /// <summary>The block hash's 32 bytes.</summary>
    public Bytes32 BlockHash { get; }

    /// <summary>The nonce (reserved for a future difficulty challenge; need not change).</summary>
    public ulong Nonce { get; }

    /// <summary>The 64-byte sr25519 signature.</summary>
    public ReadOnlyMemory<byte> Signature { get; }

    /// <summary>The exact bytes the signature covers: <c>{"account":…,"block_hash":…,"nonce":…}</c>.</summary>
    public byte[] GetSignedMessage() => BuildSignedMessage(Account, BlockHashText, Nonce);

    /// <summary>
    /// True when the signature verifies under <paramref name="context"/> for the message, or for the
    /// message wrapped as <c>&lt;Bytes&gt;…&lt;/Bytes&gt;</c> (what polkadot{.js} wallets' signRaw signs).
    /// </summary>
    public bool VerifySignature(ReadOnlySpan<byte> context)
    {
        Span<byte> publicKey = stackalloc byte[Bytes32.Size];
        PublicKey.CopyTo(publicKey);
        if (!Sr25519.TryDecodePublicKey(publicKey, out EdwardsPoint point))
        {
            return false;
        }

        byte[] message = GetSignedMessage();
        if (Sr25519.VerifyDecoded(publicKey, point, context, message, Signature.Span))
        {
            return true;
        }

        byte[] wrapped = [.. "<Bytes>"u8, .. message, .. "</Bytes>"u8];
        return Sr25519.VerifyDecoded(publicKey, point, context, wrapped, Signature.Span);
    }

    /// <summary>Builds the canonical signed message for the given fields.</summary>
    public static byte[] BuildSignedMessage(string account, string blockHash, ulong nonce)
    {
        // Both strings are validated to plain ASCII (bech32 and hex), so no JSON escaping is needed;
        // Create() checks the same before signing.
        string json = string.Concat("{\"account\":\"", account, "\",\"block_hash\":\"", blockHash, "\",\"nonce\":", nonce.ToString(System.Globalization.CultureInfo.InvariantCulture), "}");
        return System.Text.Encoding.UTF8.GetBytes(json);
    }

    /// <summary>
    /// Produces a header value for a client: signs the canonical message with <paramref name="keyPair"/>
    /// under <paramref name="context"/> (default <c>substrate</c>).
    /// </summary>
    /// <exception cref="ArgumentException">The account is not bech32-shaped or the block hash is not 32 bytes of hex.</exception>
    public static string Create(Sr25519KeyPair keyPair, string account, string blockHash, ulong nonce = 0, string context = "substrate")
    {
        ArgumentNullException.ThrowIfNull(keyPair);
        if (!Bech32.TryDecode(account, out _, out _))
        {
            throw new ArgumentException("The account must be a bech32 address.", nameof(account));
        }

        if (!Bytes32.TryParseHex(blockHash, out _))
        {
            throw new ArgumentException("The block hash must be 32 bytes of hex.", nameof(blockHash));
        }

        byte[] signature = keyPair.Sign(System.Text.Encoding.UTF8.GetBytes(context), BuildSignedMessage(account, blockHash, nonce));
        return string.Concat(
            "{\"pubkey\":\"", HexCodec.Encode(keyPair.PublicKey),
            "\",\"account\":\"", account,
            "\",\"block_hash\":\"", blockHash,
            "\",\"nonce\":", nonce.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ",\"signature\":\"", HexCodec.Encode(signature), "\"}");
    }
}
