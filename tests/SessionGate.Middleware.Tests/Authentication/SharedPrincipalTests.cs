using System.Net;
using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using SessionGate.AspNetCore.Authentication;

namespace SessionGate.Middleware.Tests.Authentication;

/// <summary>
/// A reused header's principal is built once with its cached verdict (AuthenticationTickets, issue 16),
/// unless the application transforms claims, whose transformation may mutate the principal it gets.
/// </summary>
public sealed class SharedPrincipalTests
{
    [Fact]
    public async Task ReusedHeader_SharesOnePrincipalAndFeature()
    {
        var seen = new List<(ClaimsPrincipal User, ISessionGateFeature? Feature)>();
        await using TestGateway gateway = await TestGateway.StartAsync(mapMore: app => app.MapGet("/who", (HttpContext c) =>
        {
            lock (seen)
            {
                seen.Add((c.User, c.Features.Get<ISessionGateFeature>()));
            }

            return "ok";
        }).RequireSession());
        string header = await gateway.HeaderAsync();

        for (int i = 0; i < 3; i++)
        {
            using HttpResponseMessage response = await gateway.SendAsync("/who", header);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        // The first request verified the header (its feature says FirstSeen); the next two share the cached ones.
        Assert.Equal(3, seen.Count);
        Assert.Same(seen[1].User, seen[2].User);
        Assert.Same(seen[1].Feature, seen[2].Feature);
        Assert.Same(seen[0].User, seen[1].User);
        Assert.Equal(gateway.Account, seen[2].User.FindFirst(SessionClaimTypes.Account)?.Value);
        Assert.Single(seen[2].User.FindAll(SessionClaimTypes.Tier));
    }

    [Fact]
    public async Task ClaimsTransformation_GetsAPrincipalPerRequest()
    {
        var seen = new List<ClaimsPrincipal>();
        await using TestGateway gateway = await TestGateway.StartAsync(
            mapMore: app => app.MapGet("/who", (HttpContext c) =>
            {
                lock (seen)
                {
                    seen.Add(c.User);
                }

                return "ok";
            }).RequireSession(),
            services: s => s.AddSingleton<IClaimsTransformation, AddsAClaim>());
        string header = await gateway.HeaderAsync();

        for (int i = 0; i < 3; i++)
        {
            using HttpResponseMessage response = await gateway.SendAsync("/who", header);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        Assert.Equal(3, seen.Count);
        Assert.NotSame(seen[1], seen[2]);
        Assert.All(seen, user => Assert.Single(user.FindAll("added")));
    }

    [Fact]
    public async Task SchemeAskedAgain_AnswersTheMiddlewaresResult()
    {
        bool? same = null;
        await using TestGateway gateway = await TestGateway.StartAsync(mapMore: app => app.MapGet("/again", async (HttpContext c) =>
        {
            // What an authorization policy naming the scheme, or application code, does after UseSessionGate.
            AuthenticateResult again = await c.AuthenticateAsync(SessionGateAuthenticationDefaults.AuthenticationScheme);
            same = again.Succeeded && ReferenceEquals(again.Principal, c.User);
            return "ok";
        }).RequireSession());

        using HttpResponseMessage response = await gateway.SendAsync("/again", await gateway.HeaderAsync());

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True(same);
    }

    // The usual (mutating) pattern of an application's claims transformation.
    private sealed class AddsAClaim : IClaimsTransformation
    {
        public Task<ClaimsPrincipal> TransformAsync(ClaimsPrincipal principal)
        {
            ((ClaimsIdentity)principal.Identity!).AddClaim(new Claim("added", "1"));
            return Task.FromResult(principal);
        }
    }
}
