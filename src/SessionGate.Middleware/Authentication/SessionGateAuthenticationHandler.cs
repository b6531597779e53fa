using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Primitives;
using SessionGate.RateLimiting;
using SessionGate.AspNetCore.RateLimiting;
using SessionGate.Verification;

namespace SessionGate.AspNetCore.Authentication;

/// <summary>
/// The <see cref="SessionGateAuthenticationDefaults.AuthenticationScheme"/> scheme (DESIGN §3). In
/// the order that charges the cheap checks before the costly one: refuses a blocked client address,
/// reads the one session header (none: no result, the caller is anonymous), verifies it (counting a
/// failure towards the address's block), resolves the account's tier, and builds the principal once
/// (<c>account</c>, <c>session_key</c>, <c>tier</c>), kept with the cached verdict (<see cref="AuthenticationTickets"/>). Failures carry a
/// <see cref="SessionAuthenticationException"/>; a challenge or forbid answers the documented RFC 9457
/// problem. ASP.NET Core runs the handler once per request however many callers authenticate.
/// </summary>
internal sealed class SessionGateAuthenticationHandler : AuthenticationHandler<SessionGateAuthenticationOptions>
{
    private readonly ISessionVerifier _verifier;
    private readonly IClientBlocker _blocker;
    private readonly ITierResolver _tiers;
    private readonly SessionGateRuntimeSettings _settings;
    private readonly AuthenticationTickets _tickets;
    private readonly bool _sharePrincipals;

    private static readonly PathString SessionPath = new("/session");

    public SessionGateAuthenticationHandler(
        IOptionsMonitor<SessionGateAuthenticationOptions> options,
        ILoggerFactory logger,
        UrlEncoder encoder,
        ISessionVerifier verifier,
        IClientBlocker blocker,
        ITierResolver tiers,
        SessionGateRuntimeSettings settings,
        AuthenticationTickets tickets,
        IClaimsTransformation transformation)
        : base(options, logger, encoder)
    {
        _verifier = verifier;
        _blocker = blocker;
        _tiers = tiers;
        _settings = settings;
        _tickets = tickets;
        _sharePrincipals = AuthenticationTickets.CanShare(transformation);
    }

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        // ASP.NET Core may run this scheme on every request (WebApplication adds the authentication
        // middleware by itself, and a lone scheme is the default one): where SessionGate does not
        // guard, a header costs no verification and no failure is counted against the address.
        if (!IsGuarded())
        {
            return AuthenticateResult.NoResult();
        }

        // A blocked address is refused unauthenticated work only (no header, junk, failed
        // verification): a header that verifies is served whatever its neighbours behind the same
        // NAT or load balancer did. Its first-seen verifications stay bounded by the address's budget.
        string client = ClientAddresses.Of(Context);
        TimeSpan? blockedFor = await _blocker.GetBlockedForAsync(client, Context.RequestAborted).ConfigureAwait(false);
        if (!TryGetHeader(Request.Headers, out string? header, out bool ambiguous))
        {
            if (blockedFor is { } anonymousBlocked)
            {
                return Blocked(anonymousBlocked);
            }

            return ambiguous
                ? await FailAsync(client, SessionVerdict.Fail(SessionError.SessionMalformed, "Send exactly one session header.")).ConfigureAwait(false)
                : AuthenticateResult.NoResult();
        }

        SessionVerdict verdict = await _verifier.VerifyAsync(header!, client, Context.RequestAborted).ConfigureAwait(false);
        if (!verdict.IsValid)
        {
            AuthenticateResult failure = await FailAsync(client, verdict).ConfigureAwait(false);
            return blockedFor is { } stillBlocked ? Blocked(stillBlocked) : failure;
        }

        VerifiedSession session = verdict.Session!;
        QuotaPolicy tier = await _tiers.ResolveAsync(session.Account, Context.RequestAborted).ConfigureAwait(false);
        (AuthenticateResult result, ISessionGateFeature feature) = _tickets.For(session, verdict.Key!, tier, verdict.FirstSeen, Scheme.Name, _sharePrincipals);
        Context.Features.Set(feature);
        return result;
    }

    // Not guarded: routes taken out of SessionGate (.DisableSessionGate()) or switched off
    // (.DisableRoute(), answered 403 before any authentication), and the gateway's own endpoints
    // under PathPrefix (admin API, pages, metrics, grants: each checks what it needs) except the
    // session's own view, which a kira_session header authenticates.
    private bool IsGuarded()
    {
        RouteSettings route = RouteSettings.For(Context.GetEndpoint());
        if (route.Bypass || route.Disabled)
        {
            return false;
        }

        PathString path = Request.PathBase.Add(Request.Path);
        if (!path.StartsWithSegments(_settings.PathPrefix, StringComparison.Ordinal, out PathString rest))
        {
            return true;
        }

        return rest.StartsWithSegments(SessionPath, StringComparison.Ordinal);
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        AuthenticateResult result = await HandleAuthenticateOnceSafeAsync().ConfigureAwait(false);
        if (result.Failure is SessionAuthenticationException failure)
        {
            await ProblemResponses.WriteAsync(Context, failure.Error, failure.Detail, failure.RetryAfter).ConfigureAwait(false);
            return;
        }

        await ProblemResponses.WriteAsync(Context, SessionError.SessionRequired, $"This route requires a {_settings.HeaderName} header.").ConfigureAwait(false);
    }

    protected override Task HandleForbiddenAsync(AuthenticationProperties properties) =>
        ProblemResponses.WriteAsync(Context, SessionError.ScopeDenied, SessionScopeRequirement.DeniedDetail);

    private static AuthenticateResult Blocked(TimeSpan blockedFor) => AuthenticateResult.Fail(new SessionAuthenticationException(
        SessionError.IpBlocked, "Too many failed authentications from this address; try again later.", blockedFor));

    // Counted towards the address's block: every authentication failure (junk and bad headers, also
    // re-sent ones), and every refusal of a header the verifier had no verdict for, whatever its code
    // (chain_unavailable, store_unavailable, verification_budget_exceeded…): each of those cost or
    // would have cost signature work. A re-sent header refused for our own outage is not counted.
    private async Task<AuthenticateResult> FailAsync(string client, SessionVerdict verdict)
    {
        SessionError error = verdict.Error;
        if (SessionErrors.IsAuthenticationFailure(error) || verdict.FirstSeen)
        {
            await FirstSeenRefusals.RecordFailureAsync(_blocker, client, Logger, Context.RequestAborted).ConfigureAwait(false);
        }

        Log.Refused(Logger, SessionErrors.Describe(error).Code, SessionGate.Diagnostics.LogValue.Escape(Request.Path.Value));
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
