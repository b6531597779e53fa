using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using SessionGate.Proxy.Gateway.Hosting;

namespace SessionGate.Proxy.Tests.Gateway;

/// <summary>
/// Which requests <c>serve</c> sends through <c>UseAuthorization()</c>: those whose endpoint carries the
/// metadata AuthorizationMiddleware acts on (the gateway's tests through a real process cover a YARP
/// route's <c>AuthorizationPolicy</c>: ProxyGatewayTests.AuthorizationPolicyRoute_…).
/// </summary>
public sealed class AuthorizationWhereDeclaredTests
{
    [Fact]
    public void DeclaresAuthorization_AuthorizeDataPolicyOrRequirement_True()
    {
        Assert.True(AuthorizationWhereDeclared.DeclaresAuthorization(With(new AuthorizeAttribute("SessionGate.Session"))));
        Assert.True(AuthorizationWhereDeclared.DeclaresAuthorization(With(new AuthorizationPolicyBuilder().RequireAuthenticatedUser().Build())));
        Assert.True(AuthorizationWhereDeclared.DeclaresAuthorization(With(new AllowAnonymousAttribute(), new AuthorizeAttribute())));
    }

    [Fact]
    public void DeclaresAuthorization_NoEndpointNoMetadataOrAnonymousOnly_False()
    {
        Assert.False(AuthorizationWhereDeclared.DeclaresAuthorization(new DefaultHttpContext()));
        Assert.False(AuthorizationWhereDeclared.DeclaresAuthorization(With()));
        Assert.False(AuthorizationWhereDeclared.DeclaresAuthorization(With(new AllowAnonymousAttribute(), "other metadata")));
    }

    private static DefaultHttpContext With(params object[] metadata)
    {
        var context = new DefaultHttpContext();
        context.SetEndpoint(new Endpoint(_ => Task.CompletedTask, new EndpointMetadataCollection(metadata), "test"));
        return context;
    }
}
