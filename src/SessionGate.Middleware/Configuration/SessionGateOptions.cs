using SessionGate.Chain;
using SessionGate.RateLimiting;
using SessionGate.AspNetCore.RateLimiting;
using SessionGate.Verification;

namespace SessionGate.AspNetCore.Configuration;

/// <summary>
/// The <c>SessionGate</c> configuration section (DESIGN §5). These names are the product's public
/// contract: appsettings.json keys and <c>SessionGate__…</c> environment variables.
/// </summary>
public sealed class SessionGateOptions
{
    /// <summary>The configuration section name.</summary>
    public const string SectionName = "SessionGate";

    /// <summary>Name of the session header. Default <c>kira_session</c>; the same name with '-' is also accepted.</summary>
    public string HeaderName { get; set; } = "kira_session";

    /// <summary>sr25519 signing context. Default <c>substrate</c>.</summary>
    public string SigningContext { get; set; } = "substrate";

    /// <summary>bech32 prefix of accounts. Default <c>kira</c>.</summary>
    public string AddressPrefix { get; set; } = "kira";

    /// <summary>Maximum age of the header's block. Default 5 minutes.</summary>
    public TimeSpan Window { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Clock skew tolerated on top of <see cref="Window"/>. Default 15 seconds.</summary>
    public TimeSpan ClockSkew { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>StackExchange.Redis configuration (e.g. <c>127.0.0.1:6379</c>). Absent: in-memory stores, single instance.</summary>
    public string? Redis { get; set; }

    /// <summary>Upper bound on any single Redis operation. Default 250 ms.</summary>
    public TimeSpan RedisTimeout { get; set; } = TimeSpan.FromMilliseconds(250);

    /// <summary>Prefix of SessionGate's Redis keys. Default <c>sessiongate:</c>.</summary>
    public string RedisKeyPrefix { get; set; } = "sessiongate:";

    /// <summary>Path prefix of the gateway's own endpoints (/block, /version, …). Default <c>/_sessiongate</c>.</summary>
    public string PathPrefix { get; set; } = "/_sessiongate";

    /// <summary>Most header verdicts cached in memory. Default 100,000.</summary>
    public int VerdictCacheCapacity { get; set; } = 100_000;

    /// <summary>The chain: dev (simulated) or Tendermint.</summary>
    public ChainOptions Chain { get; set; } = new();

    /// <summary>Signer keys registered at start-up (the admin API adds more).</summary>
    public List<SignerKeyOptions> Keys { get; set; } = [];

    /// <summary>Temporary blocking of addresses that fail authentication repeatedly (KIP_9.1), and the verification budget.</summary>
    public ClientBlockingOptions ClientBlocking { get; set; } = new();

    /// <summary>The difficulty challenge of KIP_18's nonce (docs/protocol.md): Off by default.</summary>
    public Verification.Difficulty.DifficultyOptions Difficulty { get; set; } = new();
    /// <summary>How client addresses become client keys (IPv6 prefix length).</summary>
    public Authentication.ClientAddressOptions ClientAddresses { get; set; } = new();

    /// <summary>Balance-weighted rate limiting: anonymous limits, tiers, Redis failure mode.</summary>
    public RateLimitingOptions RateLimiting { get; set; } = new();

    /// <summary>The admin API and dashboard under <c>{PathPrefix}/admin</c> and <c>{PathPrefix}/dashboard</c>.</summary>
    public AdminOptions Admin { get; set; } = new();

    /// <summary>The Prometheus endpoint <c>{PathPrefix}/metrics</c>.</summary>
    public MetricsOptions Metrics { get; set; } = new();

    /// <summary>Wallet-signed session-key grants under <c>{PathPrefix}/grants</c> (docs/grants.md).</summary>
    public GrantsOptions Grants { get; set; } = new();

    /// <summary>JSON-RPC metering: method costs, disabled methods and body bounds of routes marked JSON-RPC.</summary>
    public SessionGate.JsonRpc.JsonRpcOptions JsonRpc { get; set; } = new();

    /// <summary>The quota history's per-minute caps (names counted individually per dimension).</summary>
    public SessionGate.Usage.UsageHistoryOptions History { get; set; } = new();
}

/// <summary>The <c>SessionGate:Grants</c> section (docs/grants.md).</summary>
public sealed class GrantsOptions
{
    /// <summary>The use cases accepted when <see cref="UseCases"/> is not set.</summary>
    public static readonly IReadOnlyList<string> DefaultUseCases = [Keys.SignerKeyRecord.FrontendSessionKeyUseCase];

    /// <summary>
    /// The domain every grant must name (its first line), e.g. <c>app.example.org</c>. Absent: grants
    /// are switched off and <c>{PathPrefix}/grants</c> answers 404.
    /// </summary>
    public string? Domain { get; set; }

    /// <summary>How far a message's Issued At may be from now. Default 5 minutes.</summary>
    public TimeSpan ClockSkew { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Longest Expiration Time − Issued At. Default 30 days.</summary>
    public TimeSpan MaxLifetime { get; set; } = TimeSpan.FromDays(30);

    /// <summary>Use cases a grant may name. Absent: <see cref="DefaultUseCases"/>.</summary>
    public List<string>? UseCases { get; set; }

    /// <summary>Most live keys per account. Default 10.</summary>
    public int MaxKeysPerAccount { get; set; } = 10;

    /// <summary>
    /// What one grant or revocation costs in the anonymous limiter of the caller's address (charged
    /// before any signature work). At most the anonymous burst. Default 1.
    /// </summary>
    public int Cost { get; set; } = 1;

    /// <summary>True when the grant endpoints are served.</summary>
    public bool Enabled => Domain is not null;

    /// <summary>The use cases in force.</summary>
    public IReadOnlyList<string> EffectiveUseCases => UseCases is { Count: > 0 } ? UseCases : DefaultUseCases;
}

/// <summary>The <c>SessionGate:Metrics</c> section.</summary>
public sealed class MetricsOptions
{
    /// <summary>The meters exposed when <see cref="Meters"/> is not set.</summary>
    public static readonly IReadOnlyList<string> DefaultMeters =
    [
        Diagnostics.SessionGateMeter.Name,
        "Microsoft.AspNetCore.Hosting",             // http.server.request.duration, active requests
        "Microsoft.AspNetCore.Server.Kestrel",      // connections
        "Microsoft.AspNetCore.RateLimiting",        // leases and queueing of ASP.NET Core's limiter
    ];

    /// <summary>
    /// Serve <c>{PathPrefix}/metrics</c> (and <c>/metrics</c> in the standalone gateway). Default on: the
    /// figures carry no account, key or address; keep the path off the public network if traffic
    /// volumes are sensitive.
    /// </summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Names of the meters to expose. Absent: <see cref="DefaultMeters"/>.</summary>
    public List<string>? Meters { get; set; }

    /// <summary>The meters exposed.</summary>
    public IReadOnlyList<string> EffectiveMeters => Meters is { Count: > 0 } ? Meters : DefaultMeters;
}

/// <summary>The <c>SessionGate:Admin</c> section.</summary>
public sealed class AdminOptions
{
    /// <summary>Shortest accepted <see cref="ApiKey"/>: a guessable credential would expose every key and account.</summary>
    public const int MinimumApiKeyLength = 40;

    /// <summary>
    /// Least estimated strength of <see cref="ApiKey"/>, in bits: 32 random bytes' worth, what
    /// <c>openssl rand -base64 32</c> or <c>openssl rand -hex 32</c> prints.
    /// </summary>
    public const int MinimumApiKeyBits = 256;

    /// <summary>
    /// The operators' bearer credential. Absent: the admin API and the dashboard are not served (404).
    /// Compared in constant time and never logged.
    /// </summary>
    public string? ApiKey { get; set; }

    /// <summary>
    /// Failed admin credentials per client address and minute answered 401 as usual; each further one
    /// shuts the address out of the admin API (429 <c>admin_throttled</c>) for twice as long as the
    /// previous one, starting at 1 s. Default 5.
    /// </summary>
    public int FailuresPerMinute { get; set; } = 5;

    /// <summary>Longest shut-out after failed admin credentials. Default 15 minutes.</summary>
    public TimeSpan MaxBackoff { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>
    /// Listeners reserved for the admin API, the dashboard and the demo page, e.g.
    /// <c>http://127.0.0.1:9090</c> (several separated by <c>;</c>, each with an explicit port). When
    /// set, those pages answer only on requests that arrived on one of these ports (404 on every
    /// other), so their secrets (the dashboard's admin key, the demo page's key store) live on an
    /// origin no proxied upstream page shares. <c>sessiongate serve</c> listens on them itself; an app
    /// using <c>app.UseSessionGate()</c> must listen on them too. Absent: see <see cref="ServeOnPublicPort"/>.
    /// </summary>
    public string? Urls { get; set; }

    /// <summary>
    /// Without <see cref="Urls"/>: true serves the admin API, dashboard and demo page on every port
    /// (the behaviour before issue 17, and still the default of <c>app.UseSessionGate()</c>); false
    /// serves them nowhere. <c>sessiongate serve</c> defaults to false.
    /// </summary>
    public bool ServeOnPublicPort { get; set; } = true;

    /// <summary>True when the admin API and the dashboard are served.</summary>
    public bool Enabled => ApiKey is not null;
}

/// <summary>A signer key in configuration (<c>SessionGate:Keys:N</c>).</summary>
public sealed class SignerKeyOptions
{
    /// <summary>sr25519 public key, 32 bytes of hex (0x optional).</summary>
    public string? PublicKey { get; set; }

    /// <summary>Owning account (bech32).</summary>
    public string? Account { get; set; }

    /// <summary>Expiry (required: every key expires).</summary>
    public DateTimeOffset? Expires { get; set; }

    /// <summary>KIP_18 use case. Default <c>frontend_session_key</c>.</summary>
    public string UseCase { get; set; } = "frontend_session_key";

    /// <summary>Route scopes; empty means every route.</summary>
    public List<KeyScopeOptions> Scopes { get; set; } = [];
}

/// <summary>A key scope in configuration.</summary>
public sealed class KeyScopeOptions
{
    /// <summary>Path prefix, e.g. <c>/api/</c>.</summary>
    public string? Path { get; set; }

    /// <summary>Allowed methods; empty means any.</summary>
    public List<string> Methods { get; set; } = [];

    /// <summary>Largest route cost (<c>SessionGate.Cost</c>) the scope covers, 1 to 1,000,000; absent means any.</summary>
    public int? MaxCost { get; set; }
}
