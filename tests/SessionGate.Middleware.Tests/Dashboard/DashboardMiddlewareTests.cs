using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;

namespace SessionGate.Middleware.Tests.Dashboard;

/// <summary>The dashboard's files as the middleware serves them, in-process (TestServer).</summary>
public sealed class DashboardMiddlewareTests
{
    private const string AdminKey = "1160eddb802cea44033de3739654957b4363c4beffe9c03f44fb27af2e540e74";

    public static TheoryData<string, string> Assets => new()
    {
        { "/_sessiongate/dashboard", "text/html" },
        { "/_sessiongate/dashboard/dashboard.js", "text/javascript" },
        { "/_sessiongate/dashboard/dashboard.css", "text/css" },
        { "/_sessiongate/dashboard/icon.svg", "image/svg+xml" },
    };

    [Theory]
    [MemberData(nameof(Assets))]
    public async Task Get_AdminDisabled_Returns404(string path, string mediaType)
    {
        _ = mediaType;
        await using TestGateway gateway = await TestGateway.StartAsync();

        using HttpResponseMessage response = await gateway.Client.GetAsync(path);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.False(response.Headers.Contains("Content-Security-Policy"), "nothing reveals that a dashboard exists");
    }

    [Theory]
    [MemberData(nameof(Assets))]
    public async Task Get_Asset_ServesItWithContentTypeAndSecurityHeaders(string path, string mediaType)
    {
        await using TestGateway gateway = await StartWithAdminAsync();

        using HttpResponseMessage response = await gateway.Client.GetAsync(path);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(mediaType, response.Content.Headers.ContentType?.MediaType);
        byte[] body = await response.Content.ReadAsByteArrayAsync();
        Assert.NotEmpty(body);
        Assert.Equal(body.Length, response.Content.Headers.ContentLength);
        AssertSecurityHeaders(response);
        Assert.True(response.Headers.CacheControl?.NoCache, "revalidated on every load, so an upgrade is seen at once");
        Assert.NotNull(response.Headers.ETag);
        Assert.False(response.Headers.ETag!.IsWeak);
    }

    [Fact]
    public async Task Get_Page_CspAllowsOnlySameOriginAndNoInlineCode()
    {
        await using TestGateway gateway = await StartWithAdminAsync();

        using HttpResponseMessage response = await gateway.Client.GetAsync("/_sessiongate/dashboard");

        string csp = string.Join(";", response.Headers.GetValues("Content-Security-Policy"));
        Dictionary<string, string> directives = csp.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .ToDictionary(d => d.Split(' ')[0], d => d[(d.IndexOf(' ', StringComparison.Ordinal) + 1)..]);
        Assert.Equal("'self'", directives["default-src"]);
        Assert.Equal("'self'", directives["script-src"]);
        Assert.Equal("'self'", directives["style-src"]);
        Assert.Equal("'self'", directives["connect-src"]);
        Assert.Equal("'none'", directives["frame-ancestors"]);
        Assert.Equal("'none'", directives["form-action"]);
        Assert.DoesNotContain("unsafe", csp, StringComparison.Ordinal);
        Assert.DoesNotContain("http", csp, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Head_Page_ReturnsHeadersWithoutBody()
    {
        await using TestGateway gateway = await StartWithAdminAsync();
        using HttpResponseMessage get = await gateway.Client.GetAsync("/_sessiongate/dashboard");

        using HttpResponseMessage head = await gateway.Client.SendAsync(new HttpRequestMessage(HttpMethod.Head, "/_sessiongate/dashboard"));

        Assert.Equal(HttpStatusCode.OK, head.StatusCode);
        Assert.Equal("text/html", head.Content.Headers.ContentType?.MediaType);
        Assert.Equal(get.Content.Headers.ContentLength, head.Content.Headers.ContentLength);
        Assert.Equal(get.Headers.ETag, head.Headers.ETag);
        Assert.Empty(await head.Content.ReadAsByteArrayAsync());
        AssertSecurityHeaders(head);
    }

    [Theory]
    [InlineData("POST", "/_sessiongate/dashboard")]
    [InlineData("PUT", "/_sessiongate/dashboard/dashboard.js")]
    [InlineData("DELETE", "/_sessiongate/dashboard/dashboard.css")]
    public async Task OtherMethod_Asset_Returns405ProblemWithAllow(string method, string path)
    {
        await using TestGateway gateway = await StartWithAdminAsync();

        using HttpResponseMessage response = await gateway.Client.SendAsync(new HttpRequestMessage(new HttpMethod(method), path));

        JsonElement problem = await ProblemAssert.IsProblemAsync(response, 405, "method_not_allowed");
        Assert.Equal(["GET", "HEAD"], response.Content.Headers.Allow.Order(StringComparer.Ordinal));
        Assert.Equal(path, problem.GetProperty("instance").GetString());
    }

    [Theory]
    [InlineData("/_sessiongate/dashboard/missing.js")]
    [InlineData("/_sessiongate/dashboard/index.html")]
    [InlineData("/_sessiongate/Dashboard")]
    [InlineData("/_sessiongate/dashboardx")]
    [InlineData("/_sessiongate/dashboard/dashboard.js/extra")]
    public async Task Get_UnknownAsset_Returns404(string path)
    {
        await using TestGateway gateway = await StartWithAdminAsync();

        using HttpResponseMessage response = await gateway.Client.GetAsync(path);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task Get_TrailingSlash_RedirectsToThePage()
    {
        await using TestGateway gateway = await StartWithAdminAsync();

        using HttpResponseMessage response = await gateway.Client.GetAsync("/_sessiongate/dashboard/");

        Assert.Equal(HttpStatusCode.PermanentRedirect, response.StatusCode);
        Assert.Equal("/_sessiongate/dashboard", response.Headers.Location?.OriginalString);
    }

    [Theory]
    [InlineData(true, HttpStatusCode.NotModified)]
    [InlineData(false, HttpStatusCode.OK)]
    public async Task Get_IfNoneMatch_Returns304OnlyForTheCurrentETag(bool current, HttpStatusCode expected)
    {
        await using TestGateway gateway = await StartWithAdminAsync();
        using HttpResponseMessage first = await gateway.Client.GetAsync("/_sessiongate/dashboard/dashboard.js");
        using var request = new HttpRequestMessage(HttpMethod.Get, "/_sessiongate/dashboard/dashboard.js");
        request.Headers.IfNoneMatch.Add(current ? first.Headers.ETag! : new EntityTagHeaderValue("\"an-older-version\""));

        using HttpResponseMessage second = await gateway.Client.SendAsync(request);

        Assert.Equal(expected, second.StatusCode);
        Assert.Equal(first.Headers.ETag, second.Headers.ETag);
        if (current)
        {
            Assert.Empty(await second.Content.ReadAsByteArrayAsync());
        }
    }

    [Theory]
    [InlineData("garbage")]
    [InlineData("\"unterminated")]
    [InlineData(",,,")]
    public async Task Get_MalformedIfNoneMatch_ServesTheFile(string ifNoneMatch)
    {
        await using TestGateway gateway = await StartWithAdminAsync();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/_sessiongate/dashboard");
        request.Headers.TryAddWithoutValidation("If-None-Match", ifNoneMatch);

        using HttpResponseMessage response = await gateway.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Get_CustomPathPrefix_ServesThePageThere()
    {
        await using TestGateway gateway = await TestGateway.StartAsync(new()
        {
            ["SessionGate:Admin:ApiKey"] = AdminKey,
            ["SessionGate:PathPrefix"] = "/gw",
        });

        using HttpResponseMessage page = await gateway.Client.GetAsync("/gw/dashboard");
        using HttpResponseMessage script = await gateway.Client.GetAsync("/gw/dashboard/dashboard.js");
        using HttpResponseMessage old = await gateway.Client.GetAsync("/_sessiongate/dashboard");

        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal(HttpStatusCode.OK, script.StatusCode);
        Assert.NotEqual(HttpStatusCode.OK, old.StatusCode);
    }

    [Fact]
    public async Task Get_Page_IgnoresAMalformedSessionHeader()
    {
        await using TestGateway gateway = await StartWithAdminAsync();

        using HttpResponseMessage response = await gateway.SendAsync("/_sessiongate/dashboard", "{not json");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    private static Task<TestGateway> StartWithAdminAsync() =>
        TestGateway.StartAsync(new() { ["SessionGate:Admin:ApiKey"] = AdminKey });

    private static void AssertSecurityHeaders(HttpResponseMessage response)
    {
        Assert.Equal("nosniff", Assert.Single(response.Headers.GetValues("X-Content-Type-Options")));
        Assert.Equal("no-referrer", Assert.Single(response.Headers.GetValues("Referrer-Policy")));
        Assert.Equal("DENY", Assert.Single(response.Headers.GetValues("X-Frame-Options")));
        Assert.StartsWith("default-src 'self'", Assert.Single(response.Headers.GetValues("Content-Security-Policy")), StringComparison.Ordinal);
    }
}
