using SHA256 = System.Security.Cryptography.SHA256;
using System.Text;
using BenchmarkDotNet.Attributes;
using NBitcoin.Secp256k1;
using SessionGate.Crypto;
using SessionGate.Grants;
using SessionGate.Protocol;

namespace SessionGate.Benchmarks.Grants;

/// <summary>
/// What one wallet-signed grant costs the gateway (docs/grants.md): parsing the message alone, and the
/// whole verification (parse, rules, address derivation, ADR-036 sign doc, secp256k1 verify). The
/// latter is the work the per-address limit in front of the endpoint protects.
/// </summary>
[MemoryDiagnoser]
public class GrantVerificationBenchmarks
{
    private GrantVerifier _verifier = null!;
    private string _message = null!;
    private byte[] _publicKey = null!;
    private byte[] _signature = null!;

    [GlobalSetup]
    public void Setup()
    {
        ECPrivKey account = ECPrivKey.Create(SHA256.HashData(Encoding.UTF8.GetBytes("bench wallet")));
        _publicKey = new byte[33];
        account.CreatePubKey().WriteToSpan(true, _publicKey, out _);
        string address = CosmosSecp256k1.AccountAddressOf(_publicKey, "kira");
        using Sr25519KeyPair session = Sr25519KeyPair.FromMiniSecret(new byte[32]);
        DateTimeOffset now = DateTimeOffset.UtcNow;
        _message = string.Join('\n',
            "app.example.org" + GrantMessageParser.GrantIntro,
            address,
            "",
            "Session Key: " + HexCodec.Encode(session.PublicKey),
            "Use Case: frontend_session_key",
            "Chain ID: kira-1",
            "Nonce: benchNonce123",
            "Issued At: " + now.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture),
            "Expiration Time: " + now.AddDays(7).UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture));
        byte[] digest = SHA256.HashData(Adr036SignDoc.Create(Encoding.UTF8.GetBytes(_message), address));
        _signature = new byte[64];
        account.SignECDSARFC6979(digest).WriteCompactToSpan(_signature);
        _verifier = new GrantVerifier(new GrantPolicy { Domain = "app.example.org" }, TimeProvider.System);
        if (Verify() != GrantError.None)
        {
            throw new InvalidOperationException("The benchmark grant does not verify.");
        }
    }

    [Benchmark(Baseline = true)]
    public bool ParseOnly() => GrantMessageParser.TryParse(_message, GrantMessageKind.Grant, "kira", out _, out _);

    [Benchmark]
    public GrantError Verify() => _verifier.Verify(GrantMessageKind.Grant, _message, _publicKey, _signature, "kira-1").Error;
}
