using System.Runtime.CompilerServices;
using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using SessionGate.Keys;
using SessionGate.RateLimiting;
using SessionGate.Verification;

namespace SessionGate.AspNetCore.Authentication;

/// <summary>
/// The authentication result of a verified session, built once per cached verdict rather than once per
/// request (issue 16: a reused header allocated a principal, three claims and their clones, a ticket,
/// its properties and the result on every request). An entry lives as long as the verifier keeps the
/// <see cref="VerifiedSession"/> (a weak table: evicting the verdict frees it) and is rebuilt when the
/// account's tier or its key record changes, so the <c>tier</c> claim and the feature stay true.
/// </summary>
/// <remarks>
/// Requests with the same header then share one <see cref="ClaimsPrincipal"/>. That is only safe while
/// nothing mutates it, so the cache is off (a principal per request, as before) when the application
/// registers its own <see cref="IClaimsTransformation"/>, whose usual pattern adds claims to the
/// principal it is given. Code reading <c>HttpContext.User</c> must treat it as read-only, as ASP.NET
/// Core's own cookie and bearer handlers' cached principals require too (docs/architecture.md).
/// </remarks>
internal sealed class AuthenticationTickets
{
    private readonly ConditionalWeakTable<VerifiedSession, Entry> _entries = [];

    /// <summary>True when principals may be shared: no claims transformation but ASP.NET Core's no-op one.</summary>
    public static bool CanShare(IClaimsTransformation? transformation) => transformation is null or NoopClaimsTransformation;

    /// <summary>
    /// The success result and <see cref="ISessionGateFeature"/> for <paramref name="session"/> under
    /// <paramref name="tier"/>; a first-seen request gets a feature of its own saying so. Without
    /// <paramref name="share"/> (see <see cref="CanShare"/>) both are built for this request alone.
    /// </summary>
    public (AuthenticateResult Result, ISessionGateFeature Feature) For(VerifiedSession session, SignerKeyRecord key, QuotaPolicy tier, bool firstSeen, string scheme, bool share)
    {
        if (!share)
        {
            AuthenticateResult own = Build(session, tier, scheme);
            return (own, new SessionGateFeature(session, key, firstSeen) { Principal = own.Principal, Tier = tier });
        }

        if (!_entries.TryGetValue(session, out Entry? entry) || entry.Tier != tier || !ReferenceEquals(entry.Feature.Key, key))
        {
            AuthenticateResult result = Build(session, tier, scheme);
            entry = new Entry(tier, result, new SessionGateFeature(session, key) { Principal = result.Principal, Tier = tier });
            _entries.AddOrUpdate(session, entry);
        }

        return (entry.Result, firstSeen ? entry.Feature with { FirstSeen = true } : entry.Feature);
    }

    private static AuthenticateResult Build(VerifiedSession session, QuotaPolicy tier, string scheme)
    {
        var identity = new ClaimsIdentity(SessionClaimTypes.AuthenticationType, SessionClaimTypes.Account, roleType: null);
        identity.AddClaim(new Claim(SessionClaimTypes.Account, session.Account));
        identity.AddClaim(new Claim(SessionClaimTypes.SessionKey, session.PublicKeyHex));
        identity.AddClaim(new Claim(SessionClaimTypes.Tier, tier.Name));
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), scheme));
    }

    private sealed record Entry(QuotaPolicy Tier, AuthenticateResult Result, SessionGateFeature Feature);
}
