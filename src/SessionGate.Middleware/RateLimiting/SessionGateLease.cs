using System.Threading.RateLimiting;

using SessionGate.RateLimiting;
using SessionGate.AspNetCore.RateLimiting;

namespace SessionGate.AspNetCore.RateLimiting;

/// <summary>
/// A lease carrying SessionGate's decision; exposes the standard RetryAfter metadata. In shadow mode a
/// refusing decision is granted (<see cref="ShadowGranted"/>): the request proceeds, the decision stays
/// what the limits said.
/// </summary>
internal sealed class SessionGateLease : RateLimitLease
{
    private static readonly string[] Names = [MetadataName.RetryAfter.Name, MetadataName.ReasonPhrase.Name];

    public SessionGateLease(QuotaPolicy policy, QuotaDecision decision)
        : this(policy, decision, shadowGranted: false)
    {
    }

    private SessionGateLease(QuotaPolicy policy, QuotaDecision decision, bool shadowGranted)
    {
        Policy = policy;
        Decision = decision;
        ShadowGranted = shadowGranted;
    }

    public QuotaPolicy Policy { get; }

    public QuotaDecision Decision { get; }

    /// <summary>True when the limits refused but shadow mode lets the request through (a would-be refusal).</summary>
    public bool ShadowGranted { get; }

    public override bool IsAcquired => Decision.Allowed || ShadowGranted;

    public override IEnumerable<string> MetadataNames => IsAcquired ? [] : Names;

    /// <summary>The grant of a shadow-mode request its limits refused.</summary>
    public static SessionGateLease ShadowGrant(SessionGateLease refused) => new(refused.Policy, refused.Decision, shadowGranted: true);

    public override bool TryGetMetadata(string metadataName, out object? metadata)
    {
        metadata = null;
        if (IsAcquired)
        {
            return false;
        }

        if (metadataName == MetadataName.RetryAfter.Name)
        {
            metadata = Decision.RetryAfter;
            return true;
        }

        if (metadataName == MetadataName.ReasonPhrase.Name)
        {
            metadata = Decision.Rejection.ToString();
            return true;
        }

        return false;
    }
}
