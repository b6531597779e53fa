using SessionGate.Crypto;
using SessionGate.Keys;
using SessionGate.Protocol;

namespace SessionGate.Testing.Keys;

/// <summary>Deterministic public keys and records for directory tests.</summary>
public static class TestKeys
{
    public const string Alice = "kira1alice0000000000000000000000000000000";
    public const string Bob = "kira1bob000000000000000000000000000000000";

    public static readonly DateTimeOffset NextYear = TestTime.Start.AddYears(1);

    private static readonly System.Collections.Concurrent.ConcurrentDictionary<int, Bytes32> Keys = new();

    /// <summary>
    /// A valid sr25519 public key (a canonical, non-identity ristretto255 point, which the directory
    /// requires), derived from <paramref name="seed"/>: distinct for distinct seeds, the same every run.
    /// </summary>
    public static Bytes32 Key(int seed) => Keys.GetOrAdd(seed, static s =>
    {
        byte[] miniSecret = new byte[32];
        BitConverter.TryWriteBytes(miniSecret.AsSpan(0, 4), s);
        miniSecret[31] = 0x5a;
        using Sr25519KeyPair pair = Sr25519KeyPair.FromMiniSecret(miniSecret);
        return new Bytes32(pair.PublicKey);
    });

    public static SignerKeyRecord Record(Bytes32 key, string account, DateTimeOffset? expires = null, IReadOnlyList<KeyScope>? scopes = null, string? useCase = null) => new()
    {
        PublicKey = key,
        Account = account,
        Expires = expires ?? NextYear,
        Scopes = scopes ?? [],
        UseCase = useCase ?? SignerKeyRecord.FrontendSessionKeyUseCase,
    };
}
