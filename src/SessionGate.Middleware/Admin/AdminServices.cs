using SessionGate.Configuration;
using SessionGate.Keys;
using SessionGate.RateLimiting;
using SessionGate.RateLimiting.Tiers;
using SessionGate.Usage;
using SessionGate.Verification;
using SessionGate.Balances;

namespace SessionGate.Admin;

/// <summary>What the admin handlers work with: the components' own stores (one instance each, as the gateway uses them).</summary>
internal sealed record AdminServices(
    SessionGateOptions Options,
    ISignerKeyDirectory Directory,
    IClientBlocker Blocker,
    IBalanceSource Balances,
    ITierOverrideStore TierOverrides,
    TierResolver Tiers,
    IQuotaLimiter Quotas,
    IUsageTracker Usage,
    TimeProvider Time);
