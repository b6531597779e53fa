using System.Threading.RateLimiting;

using SessionGate.RateLimiting;
using SessionGate.AspNetCore.RateLimiting;

namespace SessionGate.AspNetCore.RateLimiting;

/// <summary>A lease carrying SessionGate's decision; exposes the standard RetryAfter metadata.</summary>
internal sealed class SessionGateLease : RateLimitLease
{
    private static readonly string[] Names = [MetadataName.RetryAfter.Name, MetadataName.ReasonPhrase.Name];

    public SessionGateLease(QuotaPolicy policy, QuotaDecision decision)
    {
        Policy = policy;
        Decision = decision;
    }

    public QuotaPolicy Policy { get; }

    public QuotaDecision Decision { get; }

    public override bool IsAcquired => Decision.Allowed;

    public override IEnumerable<string> MetadataNames => Decision.Allowed ? [] : Names;

    public override bool TryGetMetadata(string metadataName, out object? metadata)
    {
        metadata = null;
        if (Decision.Allowed)
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
