using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SessionGate.Verification;

namespace SessionGate.AspNetCore.Authentication;

/// <summary>
/// The <see cref="SessionGateAuthenticationDefaults.AuthenticationScheme"/> scheme (DESIGN §3): what it
/// decides is <see cref="SessionAuthenticator"/>'s (blocked address, the one session header, its
/// verification, the tier, the principal of <c>account</c>, <c>session_key</c>, <c>tier</c> kept with
/// the cached verdict). Failures carry a <see cref="SessionAuthenticationException"/>; a challenge or
/// forbid answers the documented RFC 9457 problem. ASP.NET Core runs the handler once per request
/// however many callers authenticate, and when <see cref="SessionGateMiddleware"/> has already
/// authenticated the request the handler answers that result.
/// </summary>
internal sealed class SessionGateAuthenticationHandler : AuthenticationHandler<SessionGateAuthenticationOptions>
{
    private readonly SessionAuthenticator _authenticator;
    private readonly SessionGateRuntimeSettings _settings;
    private readonly bool _sharePrincipals;

    public SessionGateAuthenticationHandler(
        IOptionsMonitor<SessionGateAuthenticationOptions> options,
        ILoggerFactory logger,
        UrlEncoder encoder,
        SessionAuthenticator authenticator,
        SessionGateRuntimeSettings settings,
        IClaimsTransformation transformation)
        : base(options, logger, encoder)
    {
        _authenticator = authenticator;
        _settings = settings;
        _sharePrincipals = AuthenticationTickets.CanShare(transformation);
    }

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (SessionGateMiddleware.AuthenticatedBySessionGate(Context) is { } done)
        {
            return done;
        }

        return await _authenticator.AuthenticateAsync(Context, _sharePrincipals).ConfigureAwait(false);
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
}
