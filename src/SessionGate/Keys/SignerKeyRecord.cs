using SessionGate.Protocol;

namespace SessionGate.Keys;

/// <summary>
/// A signer (session) key record, after KIP_4/KIP_7's {pubkey, type, expires, enabled, data,
/// permissions}: which account owns the key, until when, for what, and whether it was disabled.
/// </summary>
public sealed record SignerKeyRecord
{
    /// <summary>The key type SessionGate verifies.</summary>
    public const string Sr25519KeyType = "sr25519";

    /// <summary>KIP_18's use case for browser session keys, the default.</summary>
    public const string FrontendSessionKeyUseCase = "frontend_session_key";

    /// <summary>The session public key (sr25519, 32 bytes).</summary>
    public required Bytes32 PublicKey { get; init; }

    /// <summary>The owning account (bech32, lowercase).</summary>
    public required string Account { get; init; }

    /// <summary>Always <c>sr25519</c> for now.</summary>
    public string KeyType { get; init; } = Sr25519KeyType;

    /// <summary>After this instant the key is refused (<c>key_expired</c>).</summary>
    public required DateTimeOffset Expires { get; init; }

    /// <summary>Permanently disabled (<c>key_disabled</c>); a disabled key is never enabled again.</summary>
    public bool Disabled { get; init; }

    /// <summary>When the key was disabled.</summary>
    public DateTimeOffset? DisabledAt { get; init; }

    /// <summary>KIP_18 <c>data.use_case</c>.</summary>
    public string UseCase { get; init; } = FrontendSessionKeyUseCase;

    /// <summary>Routes the key may call; empty means every route.</summary>
    public IReadOnlyList<KeyScope> Scopes { get; init; } = [];

    /// <summary>When the key was registered.</summary>
    public DateTimeOffset Created { get; init; }
}

/// <summary>A route prefix a scoped key may call, optionally limited to some methods.</summary>
/// <param name="Path">Path prefix, e.g. <c>/api/</c>. Matched case-sensitively on path segments' text.</param>
/// <param name="Methods">Allowed HTTP methods (upper case); empty means any method.</param>
public sealed record KeyScope(string Path, IReadOnlyList<string> Methods);
