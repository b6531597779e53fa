using SessionGate.Crypto;
using SessionGate.Protocol;

namespace SessionGate.Tests.Protocol;

/// <summary>Builds test accounts, keys and headers.</summary>
internal static class SessionHeaders
{
    public const string BlockHash = "A1B2C3D4E5F60718293A4B5C6D7E8F90A1B2C3D4E5F60718293A4B5C6D7E8F90";

    public static string Account(int seed = 1)
    {
        byte[] payload = new byte[20];
        new Random(seed).NextBytes(payload);
        return AccountAddress.Encode("kira", payload);
    }

    public static Sr25519KeyPair Key(int seed = 1) => Sr25519KeyPair.FromMiniSecret(Enumerable.Repeat((byte)seed, 32).ToArray());

    /// <summary>A header JSON with the given raw field texts (already JSON-encoded values).</summary>
    public static string Raw(string pubkey, string account, string blockHash, string nonce, string signature) =>
        $"{{\"pubkey\":{pubkey},\"account\":{account},\"block_hash\":{blockHash},\"nonce\":{nonce},\"signature\":{signature}}}";
}
