using System.Drawing;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using OpenQA.Selenium;
using SessionGate.Crypto;
using SessionGate.IntegrationTests.Browser;
using SessionGate.IntegrationTests.Infrastructure;
using SessionGate.IntegrationTests.Proxy;

namespace SessionGate.IntegrationTests.Dashboard;

/// <summary>
/// The dashboard's history view in a real headless Chromium against the real gateway process (in
/// memory and with Redis): signed and anonymous requests appear in the per-minute chart and the top
/// lists, the chart has labelled axes with units, the ranges switch, the account's CSV link fetches
/// the expected rows, and the view fits a phone. Screenshots land in the test output (screenshots/).
/// </summary>
[Collection(GatewayProcessCollection.Name)]
public sealed class DashboardHistoryBrowserTests
{
    private const int Signed = 6;
    private const int Anonymous = 3;

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task HistoryView_AfterSignedAndAnonymousRequests_ChartsTopListsAndCsvAtDesktopAndPhoneWidth(bool withRedis)
    {
        await using RedisServer? redis = withRedis ? await RedisServer.StartAsync() : null;
        await using FakeUpstream upstream = await FakeUpstream.StartAsync();
        Dictionary<string, string?> settings = DashboardBrowserTests.Settings(upstream.Address);
        settings["ReverseProxy:Routes:open:ClusterId"] = "up";
        settings["ReverseProxy:Routes:open:Match:Path"] = "/open/{**rest}";
        if (redis is not null)
        {
            settings["SessionGate:Redis"] = redis.Configuration;
        }

        await using GatewayProcess gateway = await GatewayProcess.StartAsync(settings);
        string suffix = withRedis ? "-redis" : "";
        using Sr25519KeyPair key = TestIdentity.Key();
        using HttpClient signed = TestIdentity.SignedClient(key, gateway.Address);
        using var anonymous = new HttpClient { BaseAddress = gateway.Address };
        // Right after start the gateway may not have a recent block to check signatures against yet
        // (401 before the limiter, so not counted): wait for the first signed request to pass.
        await Eventually.HoldsAsync(
            async () =>
            {
                using HttpResponseMessage response = await signed.GetAsync(new Uri("/api/history?id=h0", UriKind.Relative));
                return response.StatusCode == HttpStatusCode.OK;
            },
            TimeSpan.FromSeconds(30),
            "the first signed request passing");
        for (int i = 1; i < Signed; i++)
        {
            using HttpResponseMessage response = await signed.GetAsync(new Uri($"/api/history?id=h{i}", UriKind.Relative));
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"signed request {i}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        }

        for (int i = 0; i < Anonymous; i++)
        {
            using HttpResponseMessage response = await anonymous.GetAsync(new Uri($"/open/history?id=a{i}", UriKind.Relative));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        using HeadlessChromium chromium = HeadlessChromium.Start(1280, 900);
        IWebDriver driver = chromium.Driver;
        var js = (IJavaScriptExecutor)driver;
        string account = TestIdentity.Account;
        string accountItem = $"#top-accounts li[data-name='{account}']";

        try
        {
            driver.Navigate().GoToUrl(new Uri(gateway.AdminAddress!, "/_sessiongate/dashboard"));
            DashboardBrowserTests.SignIn(chromium, DashboardBrowserTests.AdminKey);
            chromium.WaitFor(d => d.FindElement(By.Id("history")).Displayed, "the history view after signing in");

            // The history loads at sign-in and every 15 s (with Redis the counts are flushed every 5 s):
            // switching the range reloads it at once, so switch until the requests are there.
            chromium.WaitFor(
                d =>
                {
                    if (Number(d.FindElement(By.Id("history-requests")).Text) >= Signed + Anonymous)
                    {
                        return true;
                    }

                    d.FindElement(By.CssSelector("#history button[data-range='6h']")).Click();
                    d.FindElement(By.CssSelector("#history button[data-range='1h']")).Click();
                    return false;
                },
                "the history counting the requests",
                TimeSpan.FromSeconds(60));
            chromium.WaitFor(d => d.FindElements(By.CssSelector(accountItem)).Count == 1, "the account in the top list");

            Assert.Equal(Signed + Anonymous, Number(driver.FindElement(By.Id("history-requests")).Text));
            Assert.Equal(Signed + Anonymous, Number(driver.FindElement(By.Id("history-cost")).Text));
            Assert.Equal(0, Number(driver.FindElement(By.Id("history-refused")).Text));
            Assert.StartsWith($"{Signed} requests", driver.FindElement(By.CssSelector(accountItem + " .top-counts")).Text, StringComparison.Ordinal);
            string[] routes = [.. driver.FindElements(By.CssSelector("#top-routes li[data-name]")).Select(e => e.GetAttribute("data-name") ?? "")];
            Assert.Equal(["api", "open"], routes);
            Assert.Equal("127.0.0.0/24", driver.FindElement(By.CssSelector("#top-prefixes li[data-name]")).GetAttribute("data-name"));
            Assert.StartsWith($"{Anonymous} requests", driver.FindElement(By.CssSelector("#top-prefixes li .top-counts")).Text, StringComparison.Ordinal);

            // The chart: axes with tick labels and units, one point per minute of the range.
            AssertChart(driver, "history-requests-chart", "requests/min", 60);
            AssertChart(driver, "history-cost-chart", "units/min", 60);
            js.ExecuteScript("document.getElementById('history').scrollIntoView()");
            chromium.SaveScreenshot("dashboard-history-desktop" + suffix);

            // 24 h: 1440 minutes, x labels every 4 hours.
            driver.FindElement(By.CssSelector("#history button[data-range='24h']")).Click();
            chromium.WaitFor(d => Points(d, "history-requests-chart", "requests") == 1440, "the 24 h chart");
            Assert.Equal("true", driver.FindElement(By.CssSelector("#history button[data-range='24h']")).GetAttribute("aria-pressed"));
            Assert.All(XLabels(driver, "history-requests-chart"), label => Assert.Equal(0, int.Parse(label[..2], CultureInfo.InvariantCulture) % 4));

            // The account's CSV link: the API's URL for the chosen range, fetched with the key as the page does.
            IWebElement link = chromium.WaitFor(d => d.FindElement(By.CssSelector(accountItem + " a.csv")), "the CSV link");
            string href = link.GetAttribute("href") ?? "";
            Assert.Equal(new Uri(gateway.AdminAddress!, $"/_sessiongate/admin/accounts/{account}/history.csv?range=24h"), new Uri(href));
            Assert.Equal($"history-{account}-24h.csv", link.GetAttribute("download"));
            string pageCsv = (string?)js.ExecuteAsyncScript(
                """
                const done = arguments[arguments.length - 1];
                fetch(arguments[0], { headers: { Authorization: 'Bearer ' + sessionStorage.getItem('sessiongate.adminKey') } })
                  .then((r) => r.text()).then((t) => done(JSON.stringify(t.split('\r\n'))), (e) => done('error: ' + e));
                """,
                href) ?? "";
            // The records as the page split them at CRLF (returned as JSON so the line breaks survive the WebDriver round trip as they were).
            AssertCsv(string.Join("\r\n", System.Text.Json.JsonSerializer.Deserialize<string[]>(pageCsv) ?? []), 1440, Signed);
            using (var admin = new HttpClient())
            {
                admin.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", DashboardBrowserTests.AdminKey);
                AssertCsv(await admin.GetStringAsync(new Uri(href)), 1440, Signed);
            }

            link.Click();
            chromium.WaitFor(d => d.FindElement(By.CssSelector(accountItem + " a.csv")).GetAttribute("data-downloaded") == "true", "the CSV saved by the link");

            // Phone width: the chart is redrawn to the screen, nothing wider than it.
            driver.Manage().Window.Size = new Size(DashboardBrowserTests.PhoneWidth, 844);
            chromium.WaitFor(_ => DashboardBrowserTests.Pixels(js, "window.innerWidth") <= DashboardBrowserTests.PhoneWidth, "the window at phone width");
            chromium.WaitFor(
                _ => DashboardBrowserTests.Pixels(js, "document.querySelector('#history-requests-chart svg').getBoundingClientRect().right") <= DashboardBrowserTests.Pixels(js, "window.innerWidth"),
                "the chart redrawn at phone width");
            AssertChart(driver, "history-requests-chart", "requests/min", 1440);
            js.ExecuteScript("document.getElementById('history-requests-chart').scrollIntoView()");
            chromium.SaveScreenshot("dashboard-history-phone" + suffix);
            long scrollWidth = DashboardBrowserTests.Pixels(js, "document.documentElement.scrollWidth");
            long innerWidth = DashboardBrowserTests.Pixels(js, "window.innerWidth");
            Assert.True(scrollWidth <= innerWidth, $"the page is {scrollWidth}px wide at a {innerWidth}px window; widest: {DashboardBrowserTests.WidestElement(js)}");

            string[] errors = [.. chromium.ConsoleLog().Split(Environment.NewLine).Where(l => l.Contains("[Severe]", StringComparison.Ordinal))];
            Assert.True(errors.Length == 0, "browser errors:\n" + string.Join("\n", errors));
        }
        catch (Exception e)
        {
            string screenshot = DashboardBrowserTests.TrySaveScreenshot(chromium, "dashboard-history-failure" + suffix);
            throw new Xunit.Sdk.XunitException(
                $"{e.Message}\nScreenshot: {screenshot}\nBrowser console:\n{chromium.ConsoleLog()}\nGateway output:\n{gateway.Process.Output}", e);
        }
    }

    private static void AssertChart(IWebDriver driver, string id, string unit, int minutes)
    {
        // One snapshot in the page: the chart is redrawn on every poll and resize, so elements found one by one could go stale.
        string json = (string?)((IJavaScriptExecutor)driver).ExecuteScript(
            """
            const svg = document.querySelector('#' + arguments[0] + ' svg');
            const texts = (selector) => [...svg.querySelectorAll(selector)].map((t) => t.textContent);
            return JSON.stringify({
              titles: texts('.axis-title'),
              y: texts("[data-axis='y'] text:not(.axis-title)"),
              x: texts("[data-axis='x'] text:not(.axis-title)"),
              axes: svg.querySelectorAll('line.axis').length,
              points: [...svg.querySelectorAll('polyline')].map((p) => p.getAttribute('points').trim().split(' ').length),
            });
            """,
            id) ?? "{}";
        ChartSnapshot chart = System.Text.Json.JsonSerializer.Deserialize<ChartSnapshot>(json, new System.Text.Json.JsonSerializerOptions(System.Text.Json.JsonSerializerDefaults.Web))!;
        Assert.Equal([unit, "time (UTC)"], chart.Titles);
        Assert.True(chart.Y.Length >= 2, "the y axis has tick labels: " + json);
        Assert.Equal("0", chart.Y[0]);
        Assert.True(chart.X.Length >= 2, "the x axis has time labels: " + json);
        Assert.All(chart.X, l => Assert.Matches("^[0-2][0-9]:[0-5][0-9]$", l));
        Assert.True(chart.Axes >= 2 + chart.X.Length, "both axis lines and the x ticks are drawn: " + json);
        Assert.All(chart.Points, p => Assert.Equal(minutes, p));
    }

    private static string[] XLabels(IWebDriver driver, string id) =>
        System.Text.Json.JsonSerializer.Deserialize<string[]>((string?)((IJavaScriptExecutor)driver).ExecuteScript(
            "return JSON.stringify([...document.querySelectorAll('#' + arguments[0] + \" [data-axis='x'] text:not(.axis-title)\")].map((t) => t.textContent))", id) ?? "[]") ?? [];

    private static int Points(IWebDriver driver, string id, string series) =>
        Convert.ToInt32(((IJavaScriptExecutor)driver).ExecuteScript(
            "const p = document.querySelector('#' + arguments[0] + ' polyline[data-series=\"' + arguments[1] + '\"]'); return p ? p.getAttribute('points').trim().split(' ').length : 0", id, series), CultureInfo.InvariantCulture);

    private sealed record ChartSnapshot(string[] Titles, string[] Y, string[] X, int Axes, int[] Points);

    private static void AssertCsv(string csv, int minutes, int requests)
    {
        string[] lines = csv.Split("\r\n");
        Assert.Equal("minute,requests,refusals,cost,would_be_refused", lines[0]);
        Assert.Equal(minutes + 2, lines.Length);
        int[][] rows = [.. lines[1..^1].Select(l => l.Split(',')[1..].Select(v => int.Parse(v, CultureInfo.InvariantCulture)).ToArray())];
        Assert.Equal(requests, rows.Sum(r => r[0]));
        Assert.Equal(0, rows.Sum(r => r[1]));
        Assert.Equal(requests, rows.Sum(r => r[2]));
    }

    private static int Number(string text)
    {
        string digits = new([.. text.Where(char.IsAsciiDigit)]);
        return digits.Length == 0 ? -1 : int.Parse(digits, CultureInfo.InvariantCulture);
    }
}
