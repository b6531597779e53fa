using System.Security.Claims;
using SessionGate.RateLimiting;
using SessionGate.RateLimiting.Quotas;
using SessionGate.Keys;
using SessionGate.Verification;

namespace SessionGate.AspNetCore.Authentication;

/// <summary>The verified session of the current request, as an HttpContext feature.</summary>
public interface ISessionGateFeature
{
    /// <summary>Who is calling, with which key, until when.</summary>
    VerifiedSession Session { get; }

    /// <summary>The signer-key record as of this request.</summary>
    SignerKeyRecord Key { get; }
}

/// <param name="Session">The verified session.</param>
/// <param name="Key">The key record as of this request.</param>
/// <param name="FirstSeen">True when this request's header was verified now (a verdict-cache miss): a
/// rate-limit refusal of it then counts towards the address's block (<see cref="FirstSeenRefusals"/>).</param>
internal sealed record SessionGateFeature(VerifiedSession Session, SignerKeyRecord Key, bool FirstSeen = false) : ISessionGateFeature
{
    /// <summary>The principal authenticated with this feature, and its tier: the rate limiter's partition
    /// takes the tier from here while <c>HttpContext.User</c> is still that principal (no claim lookup).</summary>
    public ClaimsPrincipal? Principal { get; init; }

    /// <inheritdoc cref="Principal"/>
    public QuotaPolicy? Tier { get; init; }

    /// <summary>The account's rate-limit partition key, built once with the cached feature rather than per request.</summary>
    public string AccountPartitionKey { get; } = PartitionKey.ForAccount(Session.Account);

    /// <summary>
    /// Where the rate limiter keeps the partition it last used for this feature's requests (its
    /// <c>PartitionHandle</c>, immutable; typed as object so this folder knows nothing of it): a reused
    /// header's requests share one key object instead of allocating one each. Read and replaced by
    /// concurrent requests; a stale value is only a miss.
    /// </summary>
    internal object? RateLimitPartition { get; set; }
}
