using System.Threading.RateLimiting;

using SessionGate.RateLimiting;
using SessionGate.AspNetCore.RateLimiting;

namespace SessionGate.AspNetCore.RateLimiting;

/// <summary>
/// The answer to a synchronous acquisition attempt: "not decided here". SessionGate decides
/// asynchronously (one Redis round trip), so synchronous attempts take nothing and are not granted;
/// callers such as ASP.NET Core's rate-limiting middleware then acquire asynchronously.
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
