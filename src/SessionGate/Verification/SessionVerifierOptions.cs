namespace SessionGate.Verification;

/// <summary>Settings of the session verifier (bound from the <c>SessionGate</c> configuration section).</summary>
public sealed record SessionVerifierOptions
{
    /// <summary>Maximum age of the header's block. Default 5 minutes.</summary>
    public TimeSpan Window { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>Clock skew tolerated on top of the window. Default 15 seconds.</summary>
    public TimeSpan ClockSkew { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>sr25519 signing context. Default <c>substrate</c>.</summary>
    public string SigningContext { get; init; } = "substrate";

    /// <summary>bech32 prefix of accounts. Default <c>kira</c>.</summary>
    public string AddressPrefix { get; init; } = "kira";

    /// <summary>Most header verdicts kept in memory (KIP_9.1 session records). Default 100,000.</summary>
    public int VerdictCacheCapacity { get; init; } = 100_000;

    /// <summary>How long a header that can never become valid (malformed, bad signature, expired block) stays cached as rejected. Default 10 minutes.</summary>
    public TimeSpan RejectedHeaderTtl { get; init; } = TimeSpan.FromMinutes(10);
}
