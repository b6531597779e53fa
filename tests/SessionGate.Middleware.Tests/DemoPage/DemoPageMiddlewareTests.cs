using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace SessionGate.Middleware.Tests.DemoPage;

/// <summary>The browser demo's page and files: served with the dev chain only, under a strict CSP.</summary>
public sealed class DemoPageMiddlewareTests
{
    [Fact]
    public async Task The_page_loads_its_module_and_stylesheet_under_a_csp_without_inline_script()
    {
        await using TestGateway gateway = await TestGateway.StartAsync();
        using HttpResponseMessage response = await gateway.Client.GetAsync(new Uri("/_sessiongate/demo", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        string csp = string.Join(";", response.Headers.GetValues("Content-Security-Policy"));
        Assert.Contains("default-src 'none'", csp, StringComparison.Ordinal);
        Assert.Contains("script-src 'self'", csp, StringComparison.Ordinal);
        Assert.Contains("connect-src 'self'", csp, StringComparison.Ordinal);
        Assert.DoesNotContain("unsafe-inline", csp, StringComparison.Ordinal);
        Assert.DoesNotContain("unsafe-eval", csp, StringComparison.Ordinal);
        Assert.Equal("nosniff", Assert.Single(response.Headers.GetValues("X-Content-Type-Options")));

        string html = await response.Content.ReadAsStringAsync();
        Assert.Contains("<session-key id=\"session-key\"></session-key>", html, StringComparison.Ordinal);
        Assert.Contains("<script type=\"module\" src=\"demo/demo.js\"></script>", html, StringComparison.Ordinal);
        Assert.DoesNotMatch("<script(?![^>]*\\bsrc=)", html);
        Assert.DoesNotContain("<style", html, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/_sessiongate/demo/sessiongate-client.js", "text/javascript", "// @sessiongate/client browser bundle")]
    [InlineData("/_sessiongate/demo/demo.js", "text/javascript", "// The demo page's script")]
    [InlineData("/_sessiongate/demo/demo.css", "text/css", "body {")]
    public async Task Serves_the_page_files_from_embedded_resources(string path, string mediaType, string start)
    {
        await using TestGateway gateway = await TestGateway.StartAsync();
        using HttpResponseMessage response = await gateway.Client.GetAsync(new Uri(path, UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(mediaType, response.Content.Headers.ContentType?.MediaType);
        string body = await response.Content.ReadAsStringAsync();
        Assert.StartsWith(start, body, StringComparison.Ordinal);
        Assert.Equal(body.Length > 0 ? System.Text.Encoding.UTF8.GetByteCount(body) : 0, response.Content.Headers.ContentLength);
    }

    [Fact]
    public async Task The_bundle_defines_the_widget_and_exports_the_client()
    {
        await using TestGateway gateway = await TestGateway.StartAsync();
        string bundle = await gateway.Client.GetStringAsync(new Uri("/_sessiongate/demo/sessiongate-client.js", UriKind.Relative));

        Assert.Contains("\"session-key\"", bundle, StringComparison.Ordinal);
        Assert.Contains(" as SessionClient", bundle, StringComparison.Ordinal);
        Assert.Contains(" as SessionKeyStore", bundle, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/_sessiongate/demo/unknown.js")]
    [InlineData("/_sessiongate/demo/")]
    [InlineData("/_sessiongate/demox")]
    [InlineData("/_sessiongate/demo/../demo.js")]
    [InlineData("/_sessiongate/DEMO")]
    public async Task Other_paths_are_not_found(string path)
    {
        await using TestGateway gateway = await TestGateway.StartAsync();
        using HttpResponseMessage response = await gateway.Client.GetAsync(new Uri(path, UriKind.Relative));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task Head_has_no_body_and_other_methods_are_refused()
    {
        await using TestGateway gateway = await TestGateway.StartAsync();
        using var head = new HttpRequestMessage(HttpMethod.Head, "/_sessiongate/demo");
        using HttpResponseMessage headResponse = await gateway.Client.SendAsync(head);
        using HttpResponseMessage post = await gateway.Client.PostAsync(new Uri("/_sessiongate/demo", UriKind.Relative), new StringContent("x"));

        Assert.Equal(HttpStatusCode.OK, headResponse.StatusCode);
        Assert.Empty(await headResponse.Content.ReadAsByteArrayAsync());
        Assert.Equal(HttpStatusCode.MethodNotAllowed, post.StatusCode);
        Assert.Equal("GET, HEAD", string.Join(", ", post.Content.Headers.Allow));
        await ProblemAssert.IsProblemAsync(post, 405, "method_not_allowed");
    }

    [Fact]
    public async Task Reload_with_the_entity_tag_is_a_304_without_body()
    {
        await using TestGateway gateway = await TestGateway.StartAsync();
        using HttpResponseMessage first = await gateway.Client.GetAsync(new Uri("/_sessiongate/demo/sessiongate-client.js", UriKind.Relative));
        using var again = new HttpRequestMessage(HttpMethod.Get, "/_sessiongate/demo/sessiongate-client.js");
        again.Headers.IfNoneMatch.Add(first.Headers.ETag!);
        using HttpResponseMessage second = await gateway.Client.SendAsync(again);

        Assert.Equal("no-cache", first.Headers.CacheControl!.ToString());
        Assert.Equal(HttpStatusCode.NotModified, second.StatusCode);
        Assert.Empty(await second.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task Follows_the_path_prefix()
    {
        await using TestGateway gateway = await TestGateway.StartAsync(new() { ["SessionGate:PathPrefix"] = "/gate" });
        using HttpResponseMessage page = await gateway.Client.GetAsync(new Uri("/gate/demo", UriKind.Relative));
        using HttpResponseMessage bundle = await gateway.Client.GetAsync(new Uri("/gate/demo/sessiongate-client.js", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal(HttpStatusCode.OK, bundle.StatusCode);
    }

    [Theory]
    [InlineData("/_sessiongate/demo")]
    [InlineData("/_sessiongate/demo/sessiongate-client.js")]
    [InlineData("/_sessiongate/demo/demo.js")]
    public async Task Is_not_served_with_a_real_chain(string path)
    {
        // TestGateway waits for a dev-chain block; a Tendermint node that is not there never gives one.
        WebApplicationBuilder builder = WebApplication.CreateBuilder();
        builder.WebHost.UseTestServer();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["SessionGate:Chain:Mode"] = "Tendermint",
            ["SessionGate:Chain:RpcUrl"] = "http://127.0.0.1:9",
        });
        builder.Services.AddSessionGate();
        await using WebApplication app = builder.Build();
        app.UseSessionGate();
        await app.StartAsync();
        using HttpClient client = app.GetTestClient();

        using HttpResponseMessage response = await client.GetAsync(new Uri(path, UriKind.Relative));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        await app.StopAsync();
    }
}
