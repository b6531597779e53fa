using System.Net;
using System.Security.Claims;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Primitives;
using SessionGate.Verification;

namespace SessionGate.Authentication;

/// <summary>
/// Authenticates requests carrying a <c>kira_session</c> header (DESIGN §3): refuses blocked client
/// addresses, verifies the header, counts authentication failures towards temporary blocking,
/// checks the key's scopes and sets <c>HttpContext.User</c>. Requests without the header pass as
/// anonymous unless the endpoint requires a session.
/// </summary>
internal sealed partial class SessionGateMiddleware
{
    private readonly RequestDelegate _next;
    private readonly ISessionVerifier _verifier;
    private readonly IClientBlocker _blocker;
    private readonly SessionGateRuntimeSettings _settings;
    private readonly ILogger<SessionGateMiddleware> _logger;
    private readonly AuthenticationMetrics _metrics;

    public SessionGateMiddleware(RequestDelegate next, ISessionVerifier verifier, IClientBlocker blocker, SessionGateRuntimeSettings settings, ILogger<SessionGateMiddleware> logger, AuthenticationMetrics metrics)
    {
        _metrics = metrics;
        _next = next;
        _verifier = verifier;
        _blocker = blocker;
        _settings = settings;
        _logger = logger;
    }

    public async Task InvokeAsync(HttpContext context)
    {
        RouteSettings route = RouteSettings.For(context.GetEndpoint());
        if (route.Bypass)
        {
            await _next(context).ConfigureAwait(false);
            return;
        }

        if (route.Disabled)
        {
            _metrics.RecordRefused(SessionError.RouteDisabled);
            await ProblemResponses.WriteAsync(context, SessionError.RouteDisabled, "This route is disabled.").ConfigureAwait(false);
            return;
        }

        string client = ClientAddress(context);
        if (await _blocker.GetBlockedForAsync(client, context.RequestAborted).ConfigureAwait(false) is { } blockedFor)
        {
            _metrics.RecordRefused(SessionError.IpBlocked);
            await ProblemResponses.WriteAsync(context, SessionError.IpBlocked, "Too many failed authentications from this address; try again later.", blockedFor).ConfigureAwait(false);
            return;
        }

        if (!TryGetHeader(context.Request.Headers, out string? headerValue, out bool ambiguous))
        {
            if (ambiguous)
            {
                await RefuseAsync(context, client, SessionError.SessionMalformed, "Send exactly one session header.").ConfigureAwait(false);
                return;
            }

            if (route.RequireSession)
            {
                _metrics.RecordRefused(SessionError.SessionRequired);
                await ProblemResponses.WriteAsync(context, SessionError.SessionRequired, $"This route requires a {_settings.HeaderName} header.").ConfigureAwait(false);
                return;
            }

            _metrics.RecordAnonymous();
            await _next(context).ConfigureAwait(false);
            return;
        }

        SessionVerdict verdict = await _verifier.VerifyAsync(headerValue!, context.RequestAborted).ConfigureAwait(false);
        if (!verdict.IsValid)
        {
            await RefuseAsync(context, client, verdict.Error, verdict.Detail).ConfigureAwait(false);
            return;
        }

        if (!ScopeCheck.Allows(verdict.Key!.Scopes, context.Request.Path.Value ?? "/", context.Request.Method))
        {
            _metrics.RecordRefused(SessionError.ScopeDenied);
            await ProblemResponses.WriteAsync(context, SessionError.ScopeDenied, "The session key's scopes do not cover this route and method.").ConfigureAwait(false);
            return;
        }

        _metrics.RecordVerified();
        context.User = CreatePrincipal(verdict.Session!);
        context.Features.Set<ISessionGateFeature>(new SessionGateFeature(verdict.Session!, verdict.Key));
        await _next(context).ConfigureAwait(false);
    }

    private async Task RefuseAsync(HttpContext context, string client, SessionError error, string? detail)
    {
        _metrics.RecordRefused(error);
        if (SessionErrors.IsAuthenticationFailure(error))
        {
            TimeSpan? blocked = await _blocker.RecordFailureAsync(client, context.RequestAborted).ConfigureAwait(false);
            if (blocked is not null)
            {
                LogClientBlocked(_logger, client, blocked.Value.TotalSeconds);
            }
        }

        LogRefused(_logger, SessionErrors.Describe(error).Code, context.Request.Path.Value);
        await ProblemResponses.WriteAsync(context, error, detail).ConfigureAwait(false);
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

    private static ClaimsPrincipal CreatePrincipal(VerifiedSession session)
    {
        var identity = new ClaimsIdentity(
            [
                new Claim(SessionClaimTypes.Account, session.Account),
                new Claim(SessionClaimTypes.SessionKey, session.PublicKeyHex),
            ],
            SessionClaimTypes.AuthenticationType,
            SessionClaimTypes.Account,
            roleType: null);
        return new ClaimsPrincipal(identity);
    }

    /// <summary>The client's address as text (IPv4-mapped IPv6 shown as IPv4), the key of IP blocking.</summary>
    internal static string ClientAddress(HttpContext context)
    {
        IPAddress? address = context.Connection.RemoteIpAddress;
        if (address is null)
        {
            return "unknown";
        }

        return (address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address).ToString();
    }

    [LoggerMessage(EventId = 1000, EventName = "SessionRefused", Level = LogLevel.Debug, Message = "Refused a request with {Code} on {Path}")]
    private static partial void LogRefused(ILogger logger, string code, string? path);

    [LoggerMessage(EventId = 1001, EventName = "ClientBlocked", Level = LogLevel.Warning, Message = "Blocked client {Client} for {Seconds} s after repeated authentication failures")]
    private static partial void LogClientBlocked(ILogger logger, string client, double seconds);
}
