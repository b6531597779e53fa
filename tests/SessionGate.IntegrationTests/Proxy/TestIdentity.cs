using SessionGate.Client;
using SessionGate.Crypto;
using SessionGate.Protocol;

namespace SessionGate.IntegrationTests.Proxy;

/// <summary>The session key and account the gateway tests register and sign with.</summary>
internal static class TestIdentity
{
    public static readonly byte[] Seed = Enumerable.Repeat((byte)0x5a, 32).ToArray();

    public static readonly string Account = AccountAddress.Encode("kira", Enumerable.Repeat((byte)0x33, 20).ToArray());

    public static Sr25519KeyPair Key() => Sr25519KeyPair.FromMiniSecret(Seed);

    public static string PublicKeyHex
    {
        get
        {
            using Sr25519KeyPair key = Key();
            return HexCodec.Encode(key.PublicKey);
        }
    }

    /// <summary>The configuration that registers the key to the account.</summary>
    public static Dictionary<string, string?> KeySettings() => new()
    {
        ["SessionGate:Keys:0:PublicKey"] = PublicKeyHex,
        ["SessionGate:Keys:0:Account"] = Account,
        ["SessionGate:Keys:0:Expires"] = "2099-01-01T00:00:00Z",
    };

    /// <summary>An HttpClient that signs every request to <paramref name="gateway"/> (the client SDK).</summary>
    public static HttpClient SignedClient(Sr25519KeyPair key, Uri gateway, HttpMessageHandler? inner = null) =>
        new(new KiraSessionHandler(key, Account, new KiraSessionClientOptions { Gateway = gateway }, inner ?? new SocketsHttpHandler()))
        {
            BaseAddress = gateway,
            Timeout = TimeSpan.FromSeconds(30),
        };
}
