using SessionGate.Keys;
using SessionGate.Protocol;

namespace SessionGate.Grants;

/// <summary>Whether a message grants a session key or revokes one.</summary>
public enum GrantMessageKind
{
    /// <summary><c>{domain} wants you to grant a session key to your account:</c></summary>
    Grant = 0,

    /// <summary><c>{domain} wants you to revoke a session key of your account:</c></summary>
    Revoke = 1,
}

/// <summary>
/// A parsed grant or revoke message (docs/grants.md): the EIP-4361-shaped text an account owner
/// signs with ADR-036. For <see cref="GrantMessageKind.Revoke"/> only domain, account, statement,
/// session key, chain id, nonce and issued-at are present.
/// </summary>
public sealed record GrantMessage
{
    /// <summary>Grant or revoke.</summary>
    public required GrantMessageKind Kind { get; init; }

    /// <summary>The domain asking (must equal <c>SessionGate:Grants:Domain</c>).</summary>
    public required string Domain { get; init; }

    /// <summary>The account (bech32, lowercase) granting or revoking.</summary>
    public required string Account { get; init; }

    /// <summary>The optional free-text statement, or null.</summary>
    public string? Statement { get; init; }

    /// <summary>The sr25519 session key (a canonical, non-identity ristretto255 encoding).</summary>
    public required Bytes32 SessionKey { get; init; }

    /// <summary>KIP_18 use case (grants only; empty for revocations).</summary>
    public string UseCase { get; init; } = "";

    /// <summary>The chain the grant is for.</summary>
    public required string ChainId { get; init; }

    /// <summary>The wallet's nonce (at least 8 ASCII letters or digits).</summary>
    public required string Nonce { get; init; }

    /// <summary>When the wallet issued the message.</summary>
    public required DateTimeOffset IssuedAt { get; init; }

    /// <summary>When the key expires (grants only).</summary>
    public DateTimeOffset ExpirationTime { get; init; }

    /// <summary>The key's scopes (grants only); empty means an unscoped key.</summary>
    public IReadOnlyList<KeyScope> Scopes { get; init; } = [];
}
