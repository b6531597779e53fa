using System.Net.Http.Headers;
using System.Security.Claims;
using SessionGate.AspNetCore.Authentication;
using Yarp.ReverseProxy.Transforms;

namespace SessionGate.Proxy.Gateway.Identity;

/// <summary>
/// On every proxied request: removes every client-sent <c>X-SessionGate-*</c> header (and look-alikes
/// with underscores), the session header itself unless configured otherwise, the method/URL/address
/// override headers of <see cref="GatewayProxyOptions.StripRequestHeaders"/>, then adds the verified identity from the
/// claims SessionGate's middleware set (<c>account</c>, <c>session_key</c>, and <c>tier</c> once the
/// rate-limiting stage adds it). Anonymous requests reach the upstream with no identity header.
/// </summary>
internal sealed class IdentityRequestTransform : RequestTransform
{
    private readonly string? _sessionHeader;
    private readonly string[] _stripped;

    /// <param name="sessionHeaderName">The configured session header to strip, or null to forward it.</param>
    /// <param name="strippedHeaders">
    /// Other client headers to remove, already normalized (<see cref="GatewayProxyOptions.EffectiveStripRequestHeaders"/>).
    /// </param>
    public IdentityRequestTransform(string? sessionHeaderName, IReadOnlyList<string>? strippedHeaders = null)
    {
        _sessionHeader = sessionHeaderName is null ? null : IdentityHeaders.Normalize(sessionHeaderName);
        _stripped = strippedHeaders is null ? [] : [.. strippedHeaders];
    }

    public override ValueTask ApplyAsync(RequestTransformContext context)
    {
        ArgumentNullException.ThrowIfNull(context);

        // When a route turns header copying off, the client's headers were never copied: nothing to strip.
        if (context.HeadersCopied)
        {
            RemoveClientHeaders(context, context.ProxyRequest.Headers);
            if (context.ProxyRequest.Content is { } content)
            {
                RemoveClientHeaders(context, content.Headers);
            }
        }

        ClaimsPrincipal user = context.HttpContext.User;
        if (context.HttpContext.Features.Get<ISessionGateFeature>() is SessionGateFeature { Tier: { } tier } session && ReferenceEquals(session.Principal, user))
        {
            // The principal SessionGate built: the same values as its claims, without enumerating them.
            Add(context, IdentityHeaders.Account, session.Session.Account);
            Add(context, IdentityHeaders.Key, session.Session.PublicKeyHex);
            Add(context, IdentityHeaders.Tier, tier.Name);
        }
        else if (user.Identity is { IsAuthenticated: true, AuthenticationType: SessionClaimTypes.AuthenticationType })
        {
            Add(context, IdentityHeaders.Account, user.FindFirst(SessionClaimTypes.Account)?.Value);
            Add(context, IdentityHeaders.Key, user.FindFirst(SessionClaimTypes.SessionKey)?.Value);
            Add(context, IdentityHeaders.Tier, user.FindFirst(SessionClaimTypes.Tier)?.Value);
        }

        return ValueTask.CompletedTask;
    }

    private void RemoveClientHeaders(RequestTransformContext context, HttpHeaders headers)
    {
        // NonValidated: enumerating the headers themselves would parse every value of every header of
        // every request (HttpHeaders.ParseRawHeaderValues; issue 12 profile), and only names matter here.
        // Usually exactly one header goes (the session header itself): it needs no list.
        string? first = null;
        List<string>? more = null;
        foreach (KeyValuePair<string, HeaderStringValues> header in headers.NonValidated)
        {
            if (IdentityHeaders.IsOwned(header.Key)
                || (_sessionHeader is not null && IdentityHeaders.NormalizesTo(header.Key, _sessionHeader))
                || IsStripped(header.Key))
            {
                if (first is null)
                {
                    first = header.Key;
                }
                else
                {
                    (more ??= []).Add(header.Key);
                }
            }
        }

        if (first is not null)
        {
            RemoveHeader(context, first);
        }

        if (more is not null)
        {
            foreach (string name in more)
            {
                RemoveHeader(context, name);
            }
        }
    }

    private bool IsStripped(string name)
    {
        foreach (string stripped in _stripped)
        {
            if (IdentityHeaders.NormalizesTo(name, stripped))
            {
                return true;
            }
        }

        return false;
    }

    private static void Add(RequestTransformContext context, string name, string? value)
    {
        if (IdentityHeaders.IsSafeValue(value))
        {
            context.ProxyRequest.Headers.TryAddWithoutValidation(name, value);
        }
    }
}
