using System.Threading.RateLimiting;

using SessionGate.RateLimiting;
using SessionGate.AspNetCore.RateLimiting;

namespace SessionGate.AspNetCore.RateLimiting;

/// <summary>
/// The answer to a synchronous acquisition attempt that SessionGate cannot decide at once ("not
/// decided here"): the decision needs the shared store (a Redis round trip), the attempt is a
/// 0-permit probe, or an enforced refusal ASP.NET Core's middleware would discard (see
/// <see cref="QuotaPartitionLimiter"/>). It takes nothing and is not granted; callers such as ASP.NET
/// Core's rate-limiting middleware then acquire asynchronously.
/// </summary>
internal sealed class DeferredLease : RateLimitLease
{
    public static readonly DeferredLease Instance = new();

    private DeferredLease()
    {
    }

    public override bool IsAcquired => false;

    public override IEnumerable<string> MetadataNames => [];

    public override bool TryGetMetadata(string metadataName, out object? metadata)
    {
        metadata = null;
        return false;
    }
}
