using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features.Authentication;
using Microsoft.Extensions.DependencyInjection;
using SessionGate.RateLimiting;
using SessionGate.AspNetCore.RateLimiting;
using SessionGate.RateLimiting.Tiers;
using SessionGate.Verification;

namespace SessionGate.AspNetCore.Authentication;

/// <summary>
/// SessionGate's per-route rules on top of the <see cref="SessionGateAuthenticationHandler"/> scheme
/// (DESIGN §3): bypassed and disabled routes, then authentication — a refused header is refused on
/// every route, a blocked address too — then the key's scopes, and <c>RequireSession</c> routes
/// answer <c>401 session_required</c> to anonymous callers. Sets <c>HttpContext.User</c> so the rest
/// of the pipeline (authorization policies, the rate limiter, YARP's identity transform) sees it, and
/// on rate-limited routes attaches what the response reports about the limits (<see cref="RateLimitResponse"/>).
/// </summary>
internal sealed class SessionGateMiddleware
{
    private readonly RequestDelegate _next;
    private readonly SessionGateRuntimeSettings _settings;
    private readonly AuthenticationMetrics _metrics;
    private readonly RateLimitOutcomes _outcomes;
    private readonly TierCatalog _tiers;
    private readonly SessionAuthenticator _authenticator;
    private readonly bool _authenticateDirectly;

    public SessionGateMiddleware(RequestDelegate next, SessionGateRuntimeSettings settings, AuthenticationMetrics metrics, RateLimitOutcomes outcomes, TierCatalog tiers, SessionAuthenticator authenticator, IServiceScopeFactory scopes)
    {
        _next = next;
        _authenticator = authenticator;

        // Asking the authenticator directly skips only what ASP.NET Core's authentication service adds
        // to the scheme's answer: its per-request objects and the claims transformation. So it does
        // when the transformation is the framework's no-op one (resolved in a scope: an application's
        // may be scoped), and goes through HttpContext.AuthenticateAsync otherwise.
        using (IServiceScope scope = scopes.CreateScope())
        {
            _authenticateDirectly = AuthenticationTickets.CanShare(scope.ServiceProvider.GetService<IClaimsTransformation>());
        }

        _settings = settings;
        _metrics = metrics;
        _outcomes = outcomes;
        _tiers = tiers;
    }

    // Not an async method: a cached header authenticates synchronously, and the request then goes on
    // without this middleware's state machine boxed on the heap for the whole proxied exchange (about
    // 150 B per request, issue 16). Only an authentication that really waits (a first-seen header's
    // chain lookup) continues in ContinueAsync.
    public Task InvokeAsync(HttpContext context)
    {
        RouteSettings route = RouteSettings.For(context.GetEndpoint());
        if (route.Bypass)
        {
            return _next(context);
        }

        if (route.Disabled)
        {
            return RefuseAsync(context, SessionError.RouteDisabled, "This route is disabled.");
        }

        if (AlreadyAuthenticated(context) is { } already)
        {
            return Continue(context, route, already);
        }

        ValueTask<AuthenticateResult> authenticating = _authenticateDirectly
            ? AuthenticateDirectlyAsync(context)
            : new ValueTask<AuthenticateResult>(context.AuthenticateAsync(SessionGateAuthenticationDefaults.AuthenticationScheme));
        return authenticating.IsCompletedSuccessfully
            ? Continue(context, route, authenticating.Result)
            : ContinueAsync(context, route, authenticating);
    }

    private async Task ContinueAsync(HttpContext context, RouteSettings route, ValueTask<AuthenticateResult> authenticating) =>
        await Continue(context, route, await authenticating.ConfigureAwait(false)).ConfigureAwait(false);

    // The route's rules once the request is authenticated (or anonymous): a refusal, or the next middleware.
    private Task Continue(HttpContext context, RouteSettings route, AuthenticateResult result)
    {
        if (result.Failure is SessionAuthenticationException failure)
        {
            return RefuseAsync(context, failure.Error, failure.Detail, failure.RetryAfter);
        }

        if (result.Succeeded)
        {
            if (!SessionScopeRequirement.Allows(context))
            {
                return RefuseAsync(context, SessionError.ScopeDenied, SessionScopeRequirement.DeniedDetail);
            }

            _metrics.RecordVerified();
            if (!ReferenceEquals(context.User, result.Principal))
            {
                context.User = result.Principal;
            }
        }
        else if (route.RequireSession)
        {
            return RefuseAsync(context, SessionError.SessionRequired, $"This route requires a {_settings.HeaderName} header.");
        }
        else
        {
            _metrics.RecordAnonymous();
        }

        if (route.RateLimited)
        {
            RateLimitResponse.Attach(context, _outcomes, _tiers);
        }

        return _next(context);
    }

    // When SessionGate is the default scheme (it is the only one in `sessiongate serve`), ASP.NET Core's
    // authentication middleware has already authenticated this request and keeps a success in
    // IAuthenticateResultFeature: reuse it rather than going through the authentication service a
    // second time (issue 12 profile). Anything else (a failure, no result, another scheme's result)
    // asks the SessionGate scheme, whose handler answers from its per-request cache.
    private static AuthenticateResult? AlreadyAuthenticated(HttpContext context) =>
        context.Features.Get<IAuthenticateResultFeature>()?.AuthenticateResult is { Succeeded: true } result
            && string.Equals(result.Ticket?.AuthenticationScheme, SessionGateAuthenticationDefaults.AuthenticationScheme, StringComparison.Ordinal)
            ? result
            : null;

    /// <summary>The result this middleware authenticated the request with, when it asked <see cref="SessionAuthenticator"/> itself.</summary>
    internal static AuthenticateResult? AuthenticatedBySessionGate(HttpContext context) =>
        context.Features.Get<IAuthenticateResultFeature>() is SessionGateAuthenticationFeature feature ? feature.AuthenticateResult : null;

    // A success is kept where ASP.NET Core's authentication middleware would keep it (the result and
    // the user features), so the scheme's handler, authorization and HttpContext.User see it.
    private async ValueTask<AuthenticateResult> AuthenticateDirectlyAsync(HttpContext context)
    {
        AuthenticateResult result = await _authenticator.AuthenticateAsync(context, sharePrincipals: true).ConfigureAwait(false);
        if (result.Succeeded)
        {
            var feature = new SessionGateAuthenticationFeature(result);
            context.Features.Set<IAuthenticateResultFeature>(feature);
            context.Features.Set<IHttpAuthenticationFeature>(feature);
        }

        return result;
    }

    private Task RefuseAsync(HttpContext context, SessionError error, string? detail, TimeSpan? retryAfter = null)
    {
        _metrics.RecordRefused(error);
        return ProblemResponses.WriteAsync(context, error, detail, retryAfter);
    }
}
