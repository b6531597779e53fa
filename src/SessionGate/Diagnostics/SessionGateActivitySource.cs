using System.Diagnostics;
using System.Reflection;

namespace SessionGate.Diagnostics;

/// <summary>
/// The <c>SessionGate</c> <see cref="ActivitySource"/>: one span per costly stage of a request — a
/// header verified on a verdict-cache miss, a balance fetched from the chain, a rate-limiter call, a
/// wallet-signed grant. Listen to it with OpenTelemetry (<c>tracing.AddSessionGate()</c>) or any
/// <see cref="ActivityListener"/>; without a listener starting a span costs one branch.
/// </summary>
/// <remarks>
/// Attributes are bounded, like the meter's tags: closed sets of results, configured tier names,
/// booleans and costs — never an account, key, address, header or other client-supplied text, so a
/// trace backend neither learns identities nor grows without bound.
/// </remarks>
public static class SessionGateActivitySource
{
    /// <summary>The source's name: <c>SessionGate</c>, the same as the meter's.</summary>
    public const string Name = "SessionGate";

    /// <summary>A header's signature checked on a verdict-cache miss (parse, sr25519 verify).</summary>
    public const string VerifySpan = "sessiongate.verify";

    /// <summary>An account's balance fetched from the balance source (on a cache miss or refresh).</summary>
    public const string BalanceFetchSpan = "sessiongate.balance.fetch";

    /// <summary>One rate-limiter decision for a request (in memory or one Redis round trip).</summary>
    public const string RateLimitSpan = "sessiongate.ratelimit.acquire";

    /// <summary>A wallet-signed grant or revocation (<c>POST {PathPrefix}/grants</c>, <c>/grants/revoke</c>).</summary>
    public const string GrantSpan = "sessiongate.grant";

    /// <summary><c>valid</c> or the refusal's problem code (<c>signature_invalid</c>, <c>session_malformed</c>).</summary>
    public const string VerifyResultAttribute = "sessiongate.verify.result";

    /// <summary>True when the source returned a balance.</summary>
    public const string BalanceKnownAttribute = "sessiongate.balance.known";

    /// <summary>True for a stale-while-revalidate refresh no request waits for.</summary>
    public const string BalanceBackgroundAttribute = "sessiongate.balance.background";

    /// <summary><c>allowed</c>, <c>rate_limited</c>, <c>quota_exhausted</c> or <c>unavailable</c> (as the meter's tag).</summary>
    public const string RateLimitResultAttribute = "sessiongate.ratelimit.result";

    /// <summary>The tier's name (configured names and <c>anonymous</c>).</summary>
    public const string TierAttribute = "sessiongate.ratelimit.tier";

    /// <summary>True when decided in shadow mode (never refused).</summary>
    public const string ShadowAttribute = "sessiongate.ratelimit.shadow";

    /// <summary>Cost units requested (1 to 1,000,000).</summary>
    public const string CostAttribute = "sessiongate.ratelimit.cost";

    /// <summary><c>account</c> or <c>address</c>: whose budget (never which one).</summary>
    public const string PartitionKindAttribute = "sessiongate.ratelimit.partition";

    /// <summary>True when decided without Redis (local fallback or fail-open).</summary>
    public const string DegradedAttribute = "sessiongate.ratelimit.degraded";

    /// <summary><c>grant</c> or <c>revoke</c>.</summary>
    public const string GrantKindAttribute = "sessiongate.grant.kind";

    /// <summary>The grant endpoint's HTTP status (201, 200, or the problem's status).</summary>
    public const string GrantStatusAttribute = "sessiongate.grant.status";

    /// <summary>The source every SessionGate span starts from.</summary>
    internal static ActivitySource Source { get; } = new(Name, typeof(SessionGateActivitySource).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion);

    /// <summary>Starts an internal span named <paramref name="name"/>, or null when nobody listens.</summary>
    internal static Activity? Start(string name) => Source.HasListeners() ? Source.StartActivity(name, ActivityKind.Internal) : null;
}
