using System.Threading.RateLimiting;
using SessionGate.RateLimiting;

namespace SessionGate.AspNetCore.RateLimiting;

/// <summary>
/// A lease carrying SessionGate's refusing (or peeked) decision; exposes the standard RetryAfter and
/// ReasonPhrase metadata, and the rejection writer reads its policy and decision for the RateLimit
/// headers. A granted request gets the shared <see cref="Granted"/> lease instead: ASP.NET Core's
/// middleware only disposes a granted lease, and what a granted response reports comes from
/// <see cref="RateLimitOutcomes"/>, so nothing per request needs to be allocated for it.
/// </summary>
internal sealed class SessionGateLease : RateLimitLease
{
    /// <summary>The lease of every granted request (in shadow mode also of a would-be refusal): immutable, holds nothing, disposing it does nothing.</summary>
    public static readonly RateLimitLease Granted = new GrantedLease();

    private static readonly string[] Names = [MetadataName.RetryAfter.Name, MetadataName.ReasonPhrase.Name];

    public SessionGateLease(QuotaPolicy policy, QuotaDecision decision)
    {
        Policy = policy;
        Decision = decision;
    }

    public QuotaPolicy Policy { get; }

    public QuotaDecision Decision { get; }

    public override bool IsAcquired => Decision.Allowed;

    public override IEnumerable<string> MetadataNames => IsAcquired ? [] : Names;

    /// <summary>The lease of a decision: <see cref="Granted"/> when it was allowed, else one carrying the refusal.</summary>
    public static RateLimitLease For(QuotaPolicy policy, in QuotaDecision decision) =>
        decision.Allowed ? Granted : new SessionGateLease(policy, decision);

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

    private sealed class GrantedLease : RateLimitLease
    {
        public override bool IsAcquired => true;

        public override IEnumerable<string> MetadataNames => [];

        public override bool TryGetMetadata(string metadataName, out object? metadata)
        {
            metadata = null;
            return false;
        }
    }
}
