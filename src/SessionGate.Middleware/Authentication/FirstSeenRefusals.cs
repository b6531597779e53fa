using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using SessionGate.Verification;

namespace SessionGate.AspNetCore.Authentication;

/// <summary>
/// Counting refusals towards the address's block (KIP_9.1). Authentication counts its own; a header
/// that verified just now but whose request the rate limiter then refuses (<c>rate_limited</c>,
/// <c>quota_exhausted</c>) counts too, so a sender with one registered key cannot make the gateway
/// verify fresh headers without limit while every request is refused anyway.
/// </summary>
internal static class FirstSeenRefusals
{
    /// <summary>Counts a rate-limit refusal of <paramref name="context"/> when its header was first seen.</summary>
    public static ValueTask RecordRateLimitRefusalAsync(HttpContext context, CancellationToken cancellationToken)
    {
        if (context.Features.Get<ISessionGateFeature>() is not SessionGateFeature { FirstSeen: true }
            || context.RequestServices.GetService<IClientBlocker>() is not { } blocker)
        {
            return ValueTask.CompletedTask;
        }

        ILogger logger = context.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(SessionGateAuthenticationHandler).FullName!);
        return RecordFailureAsync(blocker, ClientAddresses.Of(context), logger, cancellationToken);
    }

    /// <summary>Counts one failure of <paramref name="client"/>, logging the block it causes.</summary>
    public static async ValueTask RecordFailureAsync(IClientBlocker blocker, string client, ILogger logger, CancellationToken cancellationToken)
    {
        TimeSpan? blocked = await blocker.RecordFailureAsync(client, cancellationToken).ConfigureAwait(false);
        if (blocked is not null)
        {
            Log.ClientBlocked(logger, SessionGate.Diagnostics.LogValue.Escape(client), blocked.Value.TotalSeconds);
        }
    }
}
