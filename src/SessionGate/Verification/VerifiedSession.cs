using SessionGate.Protocol;

namespace SessionGate.Verification;

/// <summary>A header whose signature and block were verified: who is calling, with which key, until when.</summary>
public sealed class VerifiedSession
{
    internal VerifiedSession(string account, Bytes32 publicKey, long blockHeight, DateTimeOffset blockTime, DateTimeOffset validUntil)
    {
        Account = account;
        PublicKey = publicKey;
        BlockHeight = blockHeight;
        BlockTime = blockTime;
        ValidUntil = validUntil;
        PublicKeyHex = publicKey.ToHex();
    }

    /// <summary>The calling account (lowercase bech32).</summary>
    public string Account { get; }

    /// <summary>The session key that signed.</summary>
    public Bytes32 PublicKey { get; }

    /// <summary>The session key as <c>0x</c> + lowercase hex.</summary>
    public string PublicKeyHex { get; }

    /// <summary>Height of the header's block.</summary>
    public long BlockHeight { get; }

    /// <summary>Time of the header's block.</summary>
    public DateTimeOffset BlockTime { get; }

    /// <summary>When the header stops being accepted (block time + window + skew).</summary>
    public DateTimeOffset ValidUntil { get; }
}
