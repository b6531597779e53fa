using System.Net;

namespace SessionGate.IntegrationTests.Proxy;

/// <summary>Issue 17 finding 8: bare 404/405 answers under the prefix are problem details (414/431 are Kestrel's, documented).</summary>
[Collection(GatewayProcessCollection.Name)]
public sealed class PrefixAnswersTests(ProxyGatewayFixture fixture)
{
    [Theory]
    [InlineData("/_sessiongate/nothing-here")]
    [InlineData("/_sessiongate/admin/keys")]       // the admin API is off in this gateway
    [InlineData("/_sessiongate/dashboard")]
    [InlineData("/_sessiongate/")]
    public async Task UnknownPathUnderPrefix_Returns404Problem(string path)
    {
        using HttpResponseMessage response = await fixture.Gateway.Client.GetAsync(new Uri(path, UriKind.Relative));

        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.NotFound, "not_found");
    }

    [Theory]
    [InlineData("/_sessiongate/block")]
    [InlineData("/_sessiongate/version")]
    [InlineData("/_sessiongate/methods")]
    [InlineData("/_sessiongate/metrics")]
    public async Task WrongMethodOnGatewayEndpoint_Returns405ProblemWithAllow(string path)
    {
        using HttpResponseMessage response = await fixture.Gateway.Client.DeleteAsync(new Uri(path, UriKind.Relative));

        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.MethodNotAllowed, "method_not_allowed");
        Assert.Equal("GET, HEAD", string.Join(", ", response.Content.Headers.Allow));
    }
}
