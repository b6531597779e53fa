using Microsoft.AspNetCore.Http;
using SessionGate.AspNetCore.Authentication;

namespace SessionGate.AspNetCore.RateLimiting;

/// <summary>
/// A <see cref="QuotaPartition"/> as ASP.NET Core's partitioned limiter keys it. The middleware keeps
/// every policy's partition key as an object, so a struct partition was boxed for every request (issue
/// 16); a handle is a reference, equal by the partition's value, and a reused header's requests share
/// the one kept with their cached <see cref="SessionGateFeature"/>.
/// </summary>
internal sealed class PartitionHandle : IEquatable<PartitionHandle>
{
    private PartitionHandle(QuotaPartition value) => Value = value;

    /// <summary>The partition.</summary>
    public QuotaPartition Value { get; }

    /// <summary>
    /// The handle of <paramref name="partition"/> for <paramref name="context"/>: the one kept with the
    /// request's session feature when it holds the same partition, else a new one (kept for the next request).
    /// </summary>
    public static PartitionHandle For(HttpContext context, in QuotaPartition partition)
    {
        if (context.Features.Get<ISessionGateFeature>() is not SessionGateFeature session)
        {
            return new PartitionHandle(partition);
        }

        if (session.RateLimitPartition is PartitionHandle kept && kept.Value.Equals(partition))
        {
            return kept;
        }

        var handle = new PartitionHandle(partition);
        session.RateLimitPartition = handle;
        return handle;
    }

    /// <inheritdoc />
    public bool Equals(PartitionHandle? other) => other is not null && (ReferenceEquals(this, other) || Value.Equals(other.Value));

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as PartitionHandle);

    /// <inheritdoc />
    public override int GetHashCode() => Value.GetHashCode();
}
