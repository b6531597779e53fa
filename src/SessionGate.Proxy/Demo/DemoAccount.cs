using System.Security.Cryptography;
using System.Text;
using SessionGate.Crypto;
using SessionGate.Protocol;

namespace SessionGate.Proxy.Demo;

/// <summary>
/// The demo's account and session key. The seed is fresh and random unless one is given; the account
/// is derived from the public key (a real KIRA account is a separate secp256k1 key; the gateway only
/// needs the registration "this session key belongs to this account").
/// </summary>
internal sealed record DemoAccount(string SeedHex, string PublicKeyHex, string Account)
{
    public static DemoAccount Create(byte[] seed, string addressPrefix)
    {
        using Sr25519KeyPair key = Sr25519KeyPair.FromMiniSecret(seed);
        byte[] digest = SHA256.HashData([.. Encoding.ASCII.GetBytes("sessiongate demo account:"), .. key.PublicKey]);
        return new DemoAccount(HexCodec.Encode(seed), HexCodec.Encode(key.PublicKey), AccountAddress.Encode(addressPrefix, digest.AsSpan(0, AccountAddress.PayloadSize)));
    }
}
