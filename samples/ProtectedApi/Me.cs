using System.Security.Claims;
using SessionGate.AspNetCore.Authentication;
using SessionGate.RateLimiting;
using SessionGate.AspNetCore.RateLimiting;

namespace ProtectedApi;

/// <summary><c>GET /me</c>: who is calling, from the claims SessionGate set on <c>HttpContext.User</c>.</summary>
internal static class Me
{
    public static MeResponse Get(HttpContext context)
    {
        ClaimsPrincipal user = context.User;
        QuotaDecision? quota = context.Features.Get<ISessionGateRateLimitFeature>()?.Decision;
        return new(
            user.FindFirstValue(SessionClaimTypes.Account)!,
            user.FindFirstValue(SessionClaimTypes.SessionKey)!,
            user.FindFirstValue(SessionClaimTypes.Tier),
            quota?.Remaining,
            quota?.DailyRemaining);
    }
}

/// <summary>The caller as <c>/me</c> reports it.</summary>
/// <param name="Account">The verified account (lowercase bech32).</param>
/// <param name="SessionKey">The session key that signed (<c>0x</c> + lowercase hex).</param>
/// <param name="Tier">The caller's rate-limit tier (from the balance).</param>
/// <param name="Remaining">Requests (cost units) that could be made right now.</param>
/// <param name="DailyRemaining">Cost units left today, when the tier has a daily budget.</param>
internal sealed record MeResponse(
    [property: System.Text.Json.Serialization.JsonPropertyName("account")] string Account,
    [property: System.Text.Json.Serialization.JsonPropertyName("session_key")] string SessionKey,
    [property: System.Text.Json.Serialization.JsonPropertyName("tier")] string? Tier,
    [property: System.Text.Json.Serialization.JsonPropertyName("remaining")] long? Remaining,
    [property: System.Text.Json.Serialization.JsonPropertyName("daily_remaining")] long? DailyRemaining);
