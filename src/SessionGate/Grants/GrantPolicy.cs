using SessionGate.Keys;

namespace SessionGate.Grants;

/// <summary>The rules a grant must meet besides its signature (section <c>SessionGate:Grants</c>).</summary>
public sealed record GrantPolicy
{
    /// <summary>The domain every message must name.</summary>
    public required string Domain { get; init; }

    /// <summary>bech32 prefix of accounts. Default <c>kira</c>.</summary>
    public string AddressPrefix { get; init; } = "kira";

    /// <summary>How far Issued At may be from now. Default 5 minutes.</summary>
    public TimeSpan ClockSkew { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>Longest Expiration Time − Issued At. Default 30 days.</summary>
    public TimeSpan MaxLifetime { get; init; } = TimeSpan.FromDays(30);

    /// <summary>Use cases a grant may name. Default only <c>frontend_session_key</c>.</summary>
    public IReadOnlyList<string> UseCases { get; init; } = [SignerKeyRecord.FrontendSessionKeyUseCase];

    /// <summary>Most live (not disabled, not expired) keys per account. Default 10.</summary>
    public int MaxKeysPerAccount { get; init; } = 10;
}
