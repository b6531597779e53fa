using System.Security.Claims;
using SessionGate.Authentication;

namespace ProtectedApi;

/// <summary><c>GET /me</c>: who is calling, from the claims SessionGate set on <c>HttpContext.User</c>.</summary>
internal static class Me
{
    public static MeResponse Get(ClaimsPrincipal user) => new(
        user.FindFirstValue(SessionClaimTypes.Account)!,
        user.FindFirstValue(SessionClaimTypes.SessionKey)!,
        user.FindFirstValue(SessionClaimTypes.Tier));   // null until the rate-limiting work adds the tier claim

    // Remaining quota arrives with the rate-limiting work (from its feature / RateLimit headers).
}

/// <summary>The caller as <c>/me</c> reports it.</summary>
/// <param name="Account">The verified account (lowercase bech32).</param>
/// <param name="SessionKey">The session key that signed (<c>0x</c> + lowercase hex).</param>
/// <param name="Tier">The caller's rate-limit tier, when known.</param>
internal sealed record MeResponse(
    [property: System.Text.Json.Serialization.JsonPropertyName("account")] string Account,
    [property: System.Text.Json.Serialization.JsonPropertyName("session_key")] string SessionKey,
    [property: System.Text.Json.Serialization.JsonPropertyName("tier")] string? Tier);
