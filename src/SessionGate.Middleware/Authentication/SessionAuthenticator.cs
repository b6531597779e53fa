using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Primitives;
using SessionGate.RateLimiting;
using SessionGate.AspNetCore.RateLimiting;
using SessionGate.Verification;

namespace SessionGate.AspNetCore.Authentication;

/// <summary>
/// What the <see cref="SessionGateAuthenticationDefaults.AuthenticationScheme"/> scheme decides for a
/// request (DESIGN §3), in the order that charges the cheap checks before the costly one: refuses a
/// blocked client address, reads the one session header (none: no result, the caller is anonymous),
/// verifies it (counting a failure towards the address's block), resolves the account's tier, and
/// answers the principal kept with the cached verdict (<see cref="AuthenticationTickets"/>).
/// </summary>
/// <remarks>
/// One singleton shared by the scheme's handler (what <c>HttpContext.AuthenticateAsync("SessionGate")</c>,
/// authorization policies and <c>[Authorize]</c> reach through ASP.NET Core's authentication service)
/// and by <see cref="SessionGateMiddleware"/>, which asks it directly when no claims transformation is
/// registered: a reused header then costs none of the authentication service's per-request objects
/// (scoped service, handler instance, its tasks and result wrapping; issue 16), and both paths answer
/// the same.
/// </remarks>
internal sealed class SessionAuthenticator
{
    private static readonly PathString SessionPath = new("/session");

    private readonly ISessionVerifier _verifier;
    private readonly IClientBlocker _blocker;
    private readonly ITierResolver _tiers;
    private readonly SessionGateRuntimeSettings _settings;
    private readonly AuthenticationTickets _tickets;
    private readonly ILogger _logger;

    public SessionAuthenticator(ISessionVerifier verifier, IClientBlocker blocker, ITierResolver tiers, SessionGateRuntimeSettings settings, AuthenticationTickets tickets, ILoggerFactory loggerFactory)
    {
        _verifier = verifier;
        _blocker = blocker;
        _tiers = tiers;
        _settings = settings;
        _tickets = tickets;

        // The category the scheme's handler logged under before this class existed (operators filter on it).
        _logger = loggerFactory.CreateLogger(typeof(SessionGateAuthenticationHandler).FullName!);
    }

    /// <summary>Authenticates <paramref name="context"/>; with <paramref name="sharePrincipals"/> a reused header's principal is the cached one.</summary>
    public async ValueTask<AuthenticateResult> AuthenticateAsync(HttpContext context, bool sharePrincipals)
    {
        // ASP.NET Core may run this scheme on every request (WebApplication adds the authentication
        // middleware by itself, and a lone scheme is the default one): where SessionGate does not
        // guard, a header costs no verification and no failure is counted against the address.
        if (!IsGuarded(context))
        {
            return AuthenticateResult.NoResult();
        }

        // A blocked address is refused unauthenticated work only (no header, junk, failed
        // verification): a header that verifies is served whatever its neighbours behind the same
        // NAT or load balancer did. Its first-seen verifications stay bounded by the address's budget.
        string client = ClientAddresses.Of(context);
        TimeSpan? blockedFor = await _blocker.GetBlockedForAsync(client, context.RequestAborted).ConfigureAwait(false);
        if (!TryGetHeader(context.Request.Headers, out string? header, out bool ambiguous))
        {
            if (blockedFor is { } anonymousBlocked)
            {
                return Blocked(anonymousBlocked);
            }

            return ambiguous
                ? await FailAsync(context, client, SessionVerdict.Fail(SessionError.SessionMalformed, "Send exactly one session header.")).ConfigureAwait(false)
                : AuthenticateResult.NoResult();
        }

        SessionVerdict verdict = await _verifier.VerifyAsync(header!, client, context.RequestAborted).ConfigureAwait(false);
        if (!verdict.IsValid)
        {
            AuthenticateResult failure = await FailAsync(context, client, verdict).ConfigureAwait(false);
            return blockedFor is { } stillBlocked ? Blocked(stillBlocked) : failure;
        }

        VerifiedSession session = verdict.Session!;
        QuotaPolicy tier = await _tiers.ResolveAsync(session.Account, context.RequestAborted).ConfigureAwait(false);
        (AuthenticateResult result, ISessionGateFeature feature) = _tickets.For(
            session, verdict.Key!, tier, verdict.FirstSeen, SessionGateAuthenticationDefaults.AuthenticationScheme, sharePrincipals);
        context.Features.Set(feature);
        return result;
    }

    // Not guarded: routes taken out of SessionGate (.DisableSessionGate()) or switched off
    // (.DisableRoute(), answered 403 before any authentication), and the gateway's own endpoints
    // under PathPrefix (admin API, pages, metrics, grants: each checks what it needs) except the
    // session's own view, which a kira_session header authenticates.
    private bool IsGuarded(HttpContext context)
    {
        RouteSettings route = RouteSettings.For(context.GetEndpoint());
        if (route.Bypass || route.Disabled)
        {
            return false;
        }

        PathString path = context.Request.PathBase.Add(context.Request.Path);
        if (!path.StartsWithSegments(_settings.PathPrefix, StringComparison.Ordinal, out PathString rest))
        {
            return true;
        }

        return rest.StartsWithSegments(SessionPath, StringComparison.Ordinal);
    }

    private static AuthenticateResult Blocked(TimeSpan blockedFor) => AuthenticateResult.Fail(new SessionAuthenticationException(
        SessionError.IpBlocked, "Too many failed authentications from this address; try again later.", blockedFor));

    // Counted towards the address's block: every authentication failure (junk and bad headers, also
    // re-sent ones), and every refusal of a header the verifier had no verdict for, whatever its code
    // (chain_unavailable, store_unavailable, verification_budget_exceeded…): each of those cost or
    // would have cost signature work. A re-sent header refused for our own outage is not counted.
    private async ValueTask<AuthenticateResult> FailAsync(HttpContext context, string client, SessionVerdict verdict)
    {
        SessionError error = verdict.Error;
        if (SessionErrors.IsAuthenticationFailure(error) || verdict.FirstSeen)
        {
            await FirstSeenRefusals.RecordFailureAsync(_blocker, client, _logger, context.RequestAborted).ConfigureAwait(false);
        }

        Log.Refused(_logger, SessionErrors.Describe(error).Code, SessionGate.Diagnostics.LogValue.Escape(context.Request.Path.Value));
        return AuthenticateResult.Fail(new SessionAuthenticationException(error, verdict.Detail, verdict.RetryAfter));
    }

    private bool TryGetHeader(IHeaderDictionary headers, out string? value, out bool ambiguous)
    {
        // Proxies that drop '_' in header names forward "kira-session"; accept either, but only one value.
        StringValues primary = headers[_settings.HeaderName];
        StringValues alternate = _settings.AlternateHeaderName is null ? StringValues.Empty : headers[_settings.AlternateHeaderName];
        int count = primary.Count + alternate.Count;
        ambiguous = count > 1;
        value = count == 1 ? (primary.Count == 1 ? primary[0] : alternate[0]) : null;
        return count == 1;
    }
}
