using System.Runtime.CompilerServices;
using Microsoft.AspNetCore.Http;
using SessionGate.AspNetCore.Authentication;
using SessionGate.RateLimiting;
using SessionGate.RateLimiting.Tiers;

namespace SessionGate.AspNetCore.RateLimiting;

/// <summary>
/// Route-level shadow mode (<c>.WithSessionGateShadow()</c>, YARP metadata <c>SessionGate.Shadow</c>):
/// a request to such a route is decided under the shadow variant of its caller's policy — same limits,
/// same budget (the partition key is unchanged), but a different rate-limiter partition that never
/// refuses. Tier and gateway-wide shadow mode are already in the catalogue's policies.
/// </summary>
internal static class ShadowPolicies
{
    // One shadow variant per policy instance (the catalogue's, replaced on reload), so the RateLimit
    // headers' per-policy formatting cache keeps working and a request allocates nothing.
    private static readonly ConditionalWeakTable<QuotaPolicy, QuotaPolicy> Variants = new();

    /// <summary>The shadow variant of <paramref name="policy"/> (itself when already in shadow mode).</summary>
    public static QuotaPolicy Of(QuotaPolicy policy) =>
        policy.Shadow ? policy : Variants.GetValue(policy, static p => p with { Shadow = true });

    /// <summary>The partition of <paramref name="context"/>, in shadow mode when its route says so.</summary>
    public static QuotaPartition PartitionFor(HttpContext context, TierCatalog tiers)
    {
        QuotaPartition partition = QuotaPartition.For(context, tiers);
        return !partition.Policy.Shadow && RouteSettings.For(context.GetEndpoint()).Shadow
            ? partition with { Policy = Of(partition.Policy) }
            : partition;
    }
}
