using System.Net;
using System.Text.RegularExpressions;

namespace SessionGate.Middleware.Tests.Dashboard;

/// <summary>
/// What the served files themselves promise: only same-origin, relative references (the page works
/// offline and below any path prefix), no inline script or style (the CSP would block it), and data
/// inserted as text, never as markup.
/// </summary>
public sealed partial class DashboardContentTests
{
    // The one absolute URL the files may contain: the SVG namespace name, an identifier that is never fetched.
    private const string SvgNamespace = "http://www.w3.org/2000/svg";

    [Fact]
    public async Task Page_ReferencesOnlyRelativeUrlsThatAreServed()
    {
        await using TestGateway gateway = await StartAsync();
        string html = await gateway.Client.GetStringAsync("/_sessiongate/dashboard");

        string[] references = ReferenceAttribute().Matches(html).Select(m => m.Groups["url"].Value).ToArray();

        Assert.Contains("dashboard/dashboard.js", references);
        Assert.Contains("dashboard/dashboard.css", references);
        foreach (string reference in references)
        {
            Assert.DoesNotMatch("^([a-z][a-z0-9+.-]*:|//|/)", reference);
            using HttpResponseMessage response = await gateway.Client.GetAsync(new Uri(new Uri(gateway.Client.BaseAddress!, "/_sessiongate/dashboard"), reference));
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{reference} answers {(int)response.StatusCode}");
        }
    }

    [Theory]
    [InlineData("/_sessiongate/dashboard")]
    [InlineData("/_sessiongate/dashboard/dashboard.js")]
    [InlineData("/_sessiongate/dashboard/dashboard.css")]
    [InlineData("/_sessiongate/dashboard/icon.svg")]
    public async Task Asset_ContainsNoAbsoluteUrl(string path)
    {
        await using TestGateway gateway = await StartAsync();
        string content = await gateway.Client.GetStringAsync(path);

        string withoutNamespace = content.Replace(SvgNamespace, "", StringComparison.Ordinal);

        Assert.DoesNotMatch("(?i)(\\b(https?|wss?|ftp):|//[a-z0-9.-]+\\.[a-z]{2,}/|@import)", withoutNamespace);
        Assert.DoesNotContain("url(", withoutNamespace, StringComparison.Ordinal); // CSS fetches (JS's URL( is the constructor)
    }

    [Fact]
    public async Task Page_HasNoInlineScriptOrStyle()
    {
        await using TestGateway gateway = await StartAsync();
        string html = await gateway.Client.GetStringAsync("/_sessiongate/dashboard");

        Assert.DoesNotMatch("(?i)<script(?![^>]*\\bsrc=)", html);
        Assert.DoesNotMatch("(?i)<style", html);
        Assert.DoesNotMatch("(?i)\\sstyle=", html);
        Assert.DoesNotMatch("(?i)\\son[a-z]+=", html);
        Assert.DoesNotMatch("(?i)javascript:", html);
    }

    [Fact]
    public async Task Script_InsertsDataAsTextOnly()
    {
        await using TestGateway gateway = await StartAsync();
        string script = await gateway.Client.GetStringAsync("/_sessiongate/dashboard/dashboard.js");

        foreach (string sink in new[] { "innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval(", "new Function", "localStorage" })
        {
            Assert.DoesNotContain(sink, script, StringComparison.Ordinal);
        }

        Assert.Contains("sessionStorage", script, StringComparison.Ordinal);
        Assert.Contains("'Bearer '", script, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Page_LabelsEveryInput()
    {
        await using TestGateway gateway = await StartAsync();
        string html = await gateway.Client.GetStringAsync("/_sessiongate/dashboard");

        string[] inputs = InputId().Matches(html).Select(m => m.Groups["id"].Value).ToArray();

        Assert.NotEmpty(inputs);
        foreach (string id in inputs)
        {
            Assert.Contains($"<label for=\"{id}\"", html, StringComparison.Ordinal);
        }

        Assert.Contains("aria-live=\"polite\"", html, StringComparison.Ordinal);
        Assert.Contains("name=\"viewport\"", html, StringComparison.Ordinal);
    }

    private static Task<TestGateway> StartAsync() =>
        TestGateway.StartAsync(new() { ["SessionGate:Admin:ApiKey"] = "a6de3d771018ae6f258725925864fe53f67717278002c506898f4a2e6e1b84ee" });

    [GeneratedRegex("\\s(?:src|href)=\"(?<url>[^\"]*)\"")]
    private static partial Regex ReferenceAttribute();

    [GeneratedRegex("<input\\s[^>]*\\bid=\"(?<id>[^\"]+)\"")]
    private static partial Regex InputId();
}
