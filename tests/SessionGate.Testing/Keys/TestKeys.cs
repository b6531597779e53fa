using SessionGate.Keys;
using SessionGate.Protocol;

namespace SessionGate.Testing.Keys;

/// <summary>Deterministic public keys and records for directory tests.</summary>
public static class TestKeys
{
    public const string Alice = "kira1alice0000000000000000000000000000000";
    public const string Bob = "kira1bob000000000000000000000000000000000";

    public static readonly DateTimeOffset NextYear = TestTime.Start.AddYears(1);

    /// <summary>A key whose bytes are <paramref name="seed"/> repeated with a counter (distinct for distinct seeds).</summary>
    public static Bytes32 Key(int seed)
    {
        byte[] bytes = new byte[Bytes32.Size];
        for (int i = 0; i < bytes.Length; i++)
        {
            bytes[i] = (byte)(seed * 31 + i * 7);
        }

        BitConverter.TryWriteBytes(bytes.AsSpan(0, 4), seed);
        return new Bytes32(bytes);
    }

    public static SignerKeyRecord Record(Bytes32 key, string account, DateTimeOffset? expires = null, IReadOnlyList<KeyScope>? scopes = null, string? useCase = null) => new()
    {
        PublicKey = key,
        Account = account,
        Expires = expires ?? NextYear,
        Scopes = scopes ?? [],
        UseCase = useCase ?? SignerKeyRecord.FrontendSessionKeyUseCase,
    };
}
