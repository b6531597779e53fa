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

    /// <summary>
    /// How the key entered the directory: a wallet-signed grant, <c>SessionGate:Keys</c>, or the admin
    /// API. Set by the first registration and kept by later ones (re-seeding a granted key does not
    /// make it a configured one). Default <see cref="KeyOrigin.Admin"/>.
    /// </summary>
    public KeyOrigin Origin { get; init; } = KeyOrigin.Admin;
}

/// <summary>How a key entered the directory (shown as <c>admin</c>, <c>config</c> or <c>grant</c>).</summary>
public enum KeyOrigin
{
    /// <summary>Registered through the admin API (or by code calling the directory directly).</summary>
    Admin = 0,

    /// <summary>Listed in <c>SessionGate:Keys</c> and registered by the start-up seeding.</summary>
    Config = 1,

    /// <summary>Registered by a wallet-signed grant (<c>POST {PathPrefix}/grants</c>).</summary>
    Grant = 2,
}

/// <summary>The text form of <see cref="KeyOrigin"/> used in JSON and in Redis.</summary>
public static class KeyOrigins
{
    /// <summary><c>admin</c>, <c>config</c> or <c>grant</c>.</summary>
    public static string Name(KeyOrigin origin) => origin switch
    {
        KeyOrigin.Config => "config",
        KeyOrigin.Grant => "grant",
        _ => "admin",
    };

    /// <summary>Reads <c>admin</c>, <c>config</c> or <c>grant</c>; false for anything else.</summary>
    public static bool TryParse(string? name, out KeyOrigin origin)
    {
        (bool known, origin) = name switch
        {
            "admin" => (true, KeyOrigin.Admin),
            "config" => (true, KeyOrigin.Config),
            "grant" => (true, KeyOrigin.Grant),
            _ => (false, KeyOrigin.Admin),
        };
        return known;
    }
}

/// <summary>
/// A route prefix a scoped key may call, optionally limited to some methods and to routes of at most
/// some cost.
/// </summary>
/// <param name="Path">Path prefix, e.g. <c>/api/</c>. Matched case-sensitively on path segments' text.</param>
/// <param name="Methods">Allowed HTTP methods (upper case); empty means any method.</param>
/// <param name="MaxCost">
/// Largest route cost (<c>SessionGate.Cost</c>, the units one call takes) the scope covers; null
/// means any cost. A key scoped to cheap reads cannot call an expensive route below the same prefix.
/// </param>
public sealed record KeyScope(string Path, IReadOnlyList<string> Methods, int? MaxCost = null)
{
    /// <summary>Largest accepted <see cref="MaxCost"/> (the largest route cost).</summary>
    public const int MaxCostLimit = 1_000_000;

    /// <summary>Same path, same methods in the same order, same maximum cost.</summary>
    public bool SameAs(KeyScope other)
    {
        ArgumentNullException.ThrowIfNull(other);
        return string.Equals(Path, other.Path, StringComparison.Ordinal)
            && Methods.SequenceEqual(other.Methods, StringComparer.Ordinal)
            && MaxCost == other.MaxCost;
    }
}
