using System.Text;
using BenchmarkDotNet.Attributes;
using NBitcoin.Secp256k1;
using SessionGate.Crypto;
using SessionGate.Grants;
using SessionGate.Keys;
using SessionGate.Protocol;
using SHA256 = System.Security.Cryptography.SHA256;

namespace SessionGate.Benchmarks.Grants;

/// <summary>
/// The parts of one wallet-signed grant, each alone, and the whole of it, for a grant with three scope
/// lines (methods, a path alone, a max-cost): parsing the message; building and hashing the ADR-036
/// sign doc; deriving the bech32 address from the secp256k1 key; the secp256k1 verify (parse key and
/// signature, low-S check, SHA-256, verify); <see cref="GrantVerifier.Verify"/> (all of them plus the
/// rules); and verify + registration in the in-memory directory (the atomic count-and-insert) — the
/// server's whole work per grant apart from HTTP and JSON.
/// </summary>
[MemoryDiagnoser]
public class GrantPipelineBenchmarks
{
    private const string ChainId = "kira-1";
    private const int Accounts = 512;
    private const int Grants = 4096;

    private GrantVerifier _verifier = null!;
    private string _message = null!;
    private byte[] _messageBytes = null!;
    private byte[] _signDoc = null!;
    private string _address = null!;
    private byte[] _publicKey = null!;
    private byte[] _signature = null!;
    private Sr25519KeyPair[] _sessionKeys = null!;
    private byte[][] _grantKeys = null!;
    private string[] _messages = null!;
    private byte[][] _signatures = null!;
    private InMemorySignerKeyDirectory _directory = null!;
    private GrantRegistrar _registrar = null!;
    private int _next = 1;

    [GlobalSetup]
    public void Setup()
    {
        ECPrivKey[] wallets = [.. Enumerable.Range(0, Accounts).Select(i => ECPrivKey.Create(SHA256.HashData(Encoding.UTF8.GetBytes($"bench pipeline wallet {i}"))))];
        byte[][] publicKeys = [.. wallets.Select(w =>
        {
            byte[] key = new byte[33];
            w.CreatePubKey().WriteToSpan(true, key, out _);
            return key;
        })];
        string[] addresses = [.. publicKeys.Select(k => CosmosSecp256k1.AccountAddressOf(k, "kira"))];
        DateTimeOffset now = DateTimeOffset.UtcNow;

        // Fresh session keys for the registration benchmark: each invocation grants a new key of one of
        // 512 accounts, 8 per account (under the default limit of 10, as real accounts are), and the
        // directory starts empty again every 4,096 grants (amortized: a negligible allocation).
        _sessionKeys = [.. Enumerable.Range(1, Grants).Select(i => Sr25519KeyPair.FromMiniSecret(SHA256.HashData(BitConverter.GetBytes(i))))];
        _grantKeys = [.. Enumerable.Range(0, Grants).Select(i => publicKeys[i % Accounts])];
        _messages = [.. Enumerable.Range(0, Grants).Select(i => Message(addresses[i % Accounts], HexCodec.Encode(_sessionKeys[i].PublicKey), now))];
        _signatures = [.. Enumerable.Range(0, Grants).Select(i => Sign(wallets[i % Accounts], addresses[i % Accounts], _messages[i]))];
        foreach (ECPrivKey wallet in wallets)
        {
            wallet.Dispose();
        }

        _publicKey = publicKeys[0];
        _address = addresses[0];
        _message = _messages[0];
        _messageBytes = Encoding.UTF8.GetBytes(_message);
        _signDoc = Adr036SignDoc.Create(_messageBytes, _address);
        _signature = _signatures[0];
        _verifier = new GrantVerifier(new GrantPolicy { Domain = "app.example.org" }, TimeProvider.System);
        ResetDirectory();
        if (Verify() != GrantError.None || !Secp256k1Verify() || AddressDerivation() != _address || VerifyAndRegister() != GrantError.None)
        {
            throw new InvalidOperationException("The benchmark grant does not verify.");
        }
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        foreach (Sr25519KeyPair key in _sessionKeys)
        {
            key.Dispose();
        }
    }

    [Benchmark(Baseline = true)]
    public bool Parse() => GrantMessageParser.TryParse(_message, GrantMessageKind.Grant, "kira", out _, out _);

    [Benchmark]
    public byte[] SignDocHash() => SHA256.HashData(Adr036SignDoc.Create(_messageBytes, _address));

    [Benchmark]
    public string AddressDerivation() => CosmosSecp256k1.AccountAddressOf(_publicKey, "kira");

    [Benchmark]
    public bool Secp256k1Verify() => CosmosSecp256k1.Verify(_publicKey, _signDoc, _signature);

    [Benchmark]
    public GrantError Verify() => _verifier.Verify(GrantMessageKind.Grant, _message, _publicKey, _signature, ChainId).Error;

    [Benchmark]
    public GrantError VerifyAndRegister()
    {
        int i = _next++ % Grants;
        if (i == 0)
        {
            ResetDirectory();
        }

        GrantVerification verification = _verifier.Verify(GrantMessageKind.Grant, _messages[i], _grantKeys[i], _signatures[i], ChainId);
        return _registrar.ApplyAsync(verification.Message!).GetAwaiter().GetResult().Error;
    }

    private void ResetDirectory()
    {
        _directory = new InMemorySignerKeyDirectory(TimeProvider.System);
        _registrar = new GrantRegistrar(_directory, TimeProvider.System, maxKeysPerAccount: 10);
    }

    private static string Message(string address, string sessionKey, DateTimeOffset now) => string.Join('\n',
        "app.example.org" + GrantMessageParser.GrantIntro,
        address,
        "",
        "Session Key: " + sessionKey,
        "Use Case: frontend_session_key",
        "Chain ID: " + ChainId,
        "Nonce: benchNonce123",
        "Issued At: " + now.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture),
        "Expiration Time: " + now.AddDays(7).UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture),
        "Scopes:",
        "- GET,POST /api/",
        "- /public/",
        "- GET /reports/ max-cost=25");

    private static byte[] Sign(ECPrivKey wallet, string address, string message)
    {
        byte[] digest = SHA256.HashData(Adr036SignDoc.Create(Encoding.UTF8.GetBytes(message), address));
        byte[] signature = new byte[64];
        wallet.SignECDSARFC6979(digest).WriteCompactToSpan(signature);
        return signature;
    }
}
