using System.Globalization;
using SHA256 = System.Security.Cryptography.SHA256;
using System.Text;
using System.Text.Json;
using NBitcoin.Secp256k1;
using SessionGate.Grants;

namespace SessionGate.Testing.Grants;

/// <summary>
/// A Keplr-like wallet for tests: a secp256k1 account key that writes grant and revoke messages and
/// signs them with ADR-036 (RFC 6979, low-S), as <c>signArbitrary</c> does.
/// </summary>
public sealed class TestWallet
{
    private readonly ECPrivKey _key;

    public TestWallet(string label, string prefix = "kira")
    {
        byte[] secret = SHA256.HashData(Encoding.UTF8.GetBytes("sessiongate test wallet " + label));
        _key = ECPrivKey.Create(secret);
        byte[] compressed = new byte[33];
        _key.CreatePubKey().WriteToSpan(true, compressed, out _);
        PublicKey = compressed;
        Account = CosmosSecp256k1.AccountAddressOf(compressed, prefix);
    }

    public byte[] PublicKey { get; }

    public string Account { get; }

    public static string Time(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    /// <summary>A grant message with the usual lines; <paramref name="extra"/> lines are appended (scopes).</summary>
    public string Grant(string domain, string sessionKeyHex, string chainId, DateTimeOffset issuedAt, DateTimeOffset expires, string useCase = "frontend_session_key", string nonce = "n0nce12345678", params string[] extra)
    {
        var lines = new List<string>
        {
            domain + GrantMessageParser.GrantIntro,
            Account,
            "",
            "Session Key: " + sessionKeyHex,
            "Use Case: " + useCase,
            "Chain ID: " + chainId,
            "Nonce: " + nonce,
            "Issued At: " + Time(issuedAt),
            "Expiration Time: " + Time(expires),
        };
        lines.AddRange(extra);
        return string.Join('\n', lines);
    }

    public string Revoke(string domain, string sessionKeyHex, string chainId, DateTimeOffset issuedAt, string nonce = "r3v0ke12345678") => string.Join('\n',
        domain + GrantMessageParser.RevokeIntro,
        Account,
        "",
        "Session Key: " + sessionKeyHex,
        "Chain ID: " + chainId,
        "Nonce: " + nonce,
        "Issued At: " + Time(issuedAt));

    /// <summary>64-byte r||s over SHA-256 of the ADR-036 sign doc of <paramref name="message"/> for <paramref name="signer"/>.</summary>
    public byte[] Sign(string message, string? signer = null)
    {
        byte[] doc = Adr036SignDoc.Create(Encoding.UTF8.GetBytes(message), signer ?? Account);
        byte[] digest = SHA256.HashData(doc);
        SecpECDSASignature signature = _key.SignECDSARFC6979(digest);
        byte[] compact = new byte[64];
        signature.WriteCompactToSpan(compact);
        return compact;
    }

    /// <summary>The request body of POST {PathPrefix}/grants or /grants/revoke.</summary>
    public string Body(string message, byte[]? signature = null, byte[]? publicKey = null)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream))
        {
            writer.WriteStartObject();
            writer.WriteString("message", message);
            writer.WriteStartObject("signature");
            writer.WriteStartObject("pub_key");
            writer.WriteString("type", "tendermint/PubKeySecp256k1");
            writer.WriteString("value", Convert.ToBase64String(publicKey ?? PublicKey));
            writer.WriteEndObject();
            writer.WriteString("signature", Convert.ToBase64String(signature ?? Sign(message)));
            writer.WriteEndObject();
            writer.WriteEndObject();
        }

        return Encoding.UTF8.GetString(stream.ToArray());
    }
}
