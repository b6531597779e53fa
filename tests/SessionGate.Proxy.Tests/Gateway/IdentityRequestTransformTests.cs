using System.Security.Claims;
using Microsoft.AspNetCore.Http;
using SessionGate.AspNetCore.Authentication;
using SessionGate.Proxy.Gateway.Identity;
using Yarp.ReverseProxy.Transforms;

namespace SessionGate.Proxy.Tests.Gateway;

public sealed class IdentityRequestTransformTests
{
    private const string Account = "kira1qypqxpq9qcrsszg2pvxq6rs0zqg3yyc50dxs83";
    private const string Key = "0x44a996beb1eef7bdcab976ab6d2ca26104834164ecf28fb375600576fcc6eb0f";

    [Fact]
    public async Task ApplyAsync_VerifiedSession_ReplacesForgedHeadersWithClaims()
    {
        RequestTransformContext context = Context(Session(tier: "holder"),
            ("X-SessionGate-Account", "kira1forged"), ("x_sessiongate_key", "0xforged"), ("X-SESSIONGATE-TIER", "whale"), ("X-SessionGate-Other", "x"), ("Accept", "text/plain"));

        await new IdentityRequestTransform(sessionHeaderName: null).ApplyAsync(context);

        Assert.Equal([Account], context.ProxyRequest.Headers.GetValues("X-SessionGate-Account"));
        Assert.Equal([Key], context.ProxyRequest.Headers.GetValues("X-SessionGate-Key"));
        Assert.Equal(["holder"], context.ProxyRequest.Headers.GetValues("X-SessionGate-Tier"));
        Assert.False(context.ProxyRequest.Headers.Contains("x_sessiongate_key"));
        Assert.False(context.ProxyRequest.Headers.Contains("X-SessionGate-Other"));
        Assert.True(context.ProxyRequest.Headers.Contains("Accept"));
    }

    [Fact]
    public async Task ApplyAsync_NoTierClaim_NoTierHeader()
    {
        RequestTransformContext context = Context(Session(tier: null), ("X-SessionGate-Tier", "whale"));

        await new IdentityRequestTransform(sessionHeaderName: null).ApplyAsync(context);

        Assert.False(context.ProxyRequest.Headers.Contains("X-SessionGate-Tier"));
        Assert.True(context.ProxyRequest.Headers.Contains("X-SessionGate-Account"));
    }

    [Fact]
    public async Task ApplyAsync_Anonymous_StripsAndAddsNothing()
    {
        RequestTransformContext context = Context(new ClaimsPrincipal(new ClaimsIdentity()), ("X-SessionGate-Account", Account));

        await new IdentityRequestTransform(sessionHeaderName: null).ApplyAsync(context);

        Assert.DoesNotContain(context.ProxyRequest.Headers, h => h.Key.StartsWith("X-SessionGate", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task ApplyAsync_OtherAuthenticationTypeWithAccountClaim_NoIdentityHeaders()
    {
        var other = new ClaimsPrincipal(new ClaimsIdentity([new Claim(SessionClaimTypes.Account, Account)], "Cookies"));
        RequestTransformContext context = Context(other);

        await new IdentityRequestTransform(sessionHeaderName: null).ApplyAsync(context);

        Assert.False(context.ProxyRequest.Headers.Contains("X-SessionGate-Account"));
    }

    [Theory]
    [InlineData(null, true)]
    [InlineData("kira_session", false)]
    public async Task ApplyAsync_StripSessionHeader_RemovesBothSpellingsOnlyWhenAsked(string? strip, bool forwarded)
    {
        RequestTransformContext context = Context(Session(tier: null), ("kira_session", "{}"), ("kira-session", "{}"));

        await new IdentityRequestTransform(strip).ApplyAsync(context);

        Assert.Equal(forwarded, context.ProxyRequest.Headers.Contains("kira_session"));
        Assert.Equal(forwarded, context.ProxyRequest.Headers.Contains("kira-session"));
    }

    [Fact]
    public async Task ApplyAsync_ClaimWithLineBreak_NotForwarded()
    {
        RequestTransformContext context = Context(Session(tier: "bad\r\nX-Injected: 1"));

        await new IdentityRequestTransform(sessionHeaderName: null).ApplyAsync(context);

        Assert.False(context.ProxyRequest.Headers.Contains("X-SessionGate-Tier"));
    }

    private static ClaimsPrincipal Session(string? tier)
    {
        List<Claim> claims = [new(SessionClaimTypes.Account, Account), new(SessionClaimTypes.SessionKey, Key)];
        if (tier is not null)
        {
            claims.Add(new Claim(SessionClaimTypes.Tier, tier));
        }

        return new ClaimsPrincipal(new ClaimsIdentity(claims, SessionClaimTypes.AuthenticationType));
    }

    private static RequestTransformContext Context(ClaimsPrincipal user, params (string Name, string Value)[] headers)
    {
        var proxyRequest = new HttpRequestMessage(HttpMethod.Get, "http://upstream/x");
        foreach ((string name, string value) in headers)
        {
            proxyRequest.Headers.TryAddWithoutValidation(name, value);
        }

        return new RequestTransformContext
        {
            HttpContext = new DefaultHttpContext { User = user },
            ProxyRequest = proxyRequest,
            Path = "/x",
            Query = new QueryTransformContext(new DefaultHttpContext().Request),
            DestinationPrefix = "http://upstream",
            HeadersCopied = true,
        };
    }
}
