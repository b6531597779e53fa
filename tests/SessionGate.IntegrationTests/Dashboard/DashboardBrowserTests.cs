using System.Drawing;
using System.Net;
using System.Text.Json;
using OpenQA.Selenium;
using SessionGate.Crypto;
using SessionGate.IntegrationTests.Browser;
using SessionGate.IntegrationTests.Infrastructure;
using SessionGate.IntegrationTests.Proxy;
using SessionGate.Protocol;

namespace SessionGate.IntegrationTests.Dashboard;

/// <summary>
/// The dashboard in a real headless Chromium against the real gateway process: sign in with the admin
/// key, watch an account's usage rise as signed requests arrive, disable its key with the button,
/// and see the gateway refuse the next request. Screenshots land in the test output (screenshots/).
/// </summary>
[Collection(GatewayProcessCollection.Name)]
public sealed class DashboardBrowserTests
{
    internal const string AdminKey = "ea34139eaad06b211f132654cdaba317e6ff3b61fc8ff71339683eae558bc58b";
    internal const int PhoneWidth = 390;

    /// <summary>The test tier's burst: room for the usage steps, small enough to reach a 429 quickly.</summary>
    private const int Burst = 20;

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Dashboard_SignedRequestsThenDisableButton_ShowsUsageAndGatewayRefusesTheKey(bool withRedis)
    {
        await using RedisServer? redis = withRedis ? await RedisServer.StartAsync() : null;
        await using FakeUpstream upstream = await FakeUpstream.StartAsync();
        Dictionary<string, string?> settings = Settings(upstream.Address);
        if (redis is not null)
        {
            settings["SessionGate:Redis"] = redis.Configuration;
        }

        await using GatewayProcess gateway = await GatewayProcess.StartAsync(settings);
        string suffix = withRedis ? "-redis" : "";
        using Sr25519KeyPair key = TestIdentity.Key();
        using HttpClient signed = TestIdentity.SignedClient(key, gateway.Address);
        using HeadlessChromium chromium = HeadlessChromium.Start(1280, 900);
        IWebDriver driver = chromium.Driver;
        string account = TestIdentity.Account;
        string publicKey = TestIdentity.PublicKeyHex;
        string row = $"tr[data-account='{account}']";

        try
        {
            driver.Navigate().GoToUrl(new Uri(gateway.AdminAddress!, "/_sessiongate/dashboard"));

            // A wrong key is refused with a message, and the form stays.
            SignIn(chromium, "not-the-admin-key-0000000000");
            chromium.WaitFor(d => d.FindElement(By.Id("login-message")).Text.Contains("401", StringComparison.Ordinal), "the refusal of a wrong key");
            Assert.False(driver.FindElement(By.Id("dashboard")).Displayed);

            SignIn(chromium, AdminKey);
            chromium.WaitFor(d => d.FindElement(By.Id("dashboard")).Displayed, "the dashboard after signing in");

            // Usage appears and then rises as signed requests pass the gateway.
            await SendSignedAsync(signed, 3, HttpStatusCode.OK);
            chromium.WaitFor(d => Requests(d, row) >= 3, "the account's row counting 3 requests", TimeSpan.FromSeconds(30));
            int before = Requests(driver, row);
            await SendSignedAsync(signed, 4, HttpStatusCode.OK);
            chromium.WaitFor(d => Requests(d, row) >= before + 4, $"the account's request count rising above {before}", TimeSpan.FromSeconds(30));
            chromium.WaitFor(d => Number(d.FindElement(By.Id("total-requests")).Text) >= before + 4, "the overall total counting the requests");
            Assert.False(string.IsNullOrEmpty(driver.FindElement(By.CssSelector(row + " svg polyline")).GetAttribute("points")), "the account's sparkline is drawn");
            Assert.Equal("free", driver.FindElement(By.CssSelector(row + " [data-field='tier']")).Text.Split(' ')[0]);

            // Past the burst the gateway answers 429, and the row counts the refusals.
            int refusals = await SendUntilRefusedAsync(signed);
            chromium.WaitFor(d => Number(d.FindElement(By.CssSelector(row + " [data-field='rejected']")).Text) >= refusals, $"the row counting {refusals} refusals", TimeSpan.FromSeconds(30));
            Assert.Contains("has-rejections", driver.FindElement(By.CssSelector(row)).GetAttribute("class"), StringComparison.Ordinal);
            chromium.WaitFor(d => Number(d.FindElement(By.Id("total-rejected")).Text) >= refusals, "the overall 429 count");
            await WaitForRefillAsync(signed);

            // The credential survives a reload of the tab (sessionStorage), and only there.
            driver.Navigate().Refresh();
            chromium.WaitFor(d => d.FindElement(By.Id("dashboard")).Displayed && Requests(d, row) >= before + 4, "the dashboard again after a reload, without the form");
            var js = (IJavaScriptExecutor)driver;
            Assert.Equal(0L, js.ExecuteScript("return localStorage.length"));

            // Open the account, disable its key with the button, confirm.
            driver.FindElement(By.CssSelector(row + " button[data-action='toggle-keys']")).Click();
            string item = $"li[data-public-key='{publicKey}']";
            IWebElement disable = chromium.WaitFor(d => d.FindElement(By.CssSelector(item + " button[data-action='disable']")), "the key in the account's key list");
            Assert.Equal("active", driver.FindElement(By.CssSelector(item + " [data-field='key-status']")).Text);
            Assert.Contains("origin config", driver.FindElement(By.CssSelector(item + " .key-facts")).Text, StringComparison.Ordinal);
            chromium.SaveScreenshot("dashboard-desktop" + suffix);
            string updatedAt = driver.FindElement(By.Id("updated-at")).GetAttribute("datetime") ?? "";
            disable.Click();
            IWebElement confirm = driver.FindElement(By.CssSelector(item + " button[data-action='confirm-disable']"));
            chromium.WaitFor(_ => confirm.Displayed, "the confirm step");
            confirm.Click();
            chromium.WaitFor(d => d.FindElement(By.CssSelector(item + " [data-field='key-status']")).Text == "disabled", "the key shown as disabled");
            Assert.False(driver.FindElement(By.CssSelector(item + " button[data-action='disable']")).Displayed, "a disabled key has no Disable button");

            // The gateway refuses the next signed request.
            using (HttpResponseMessage refused = await signed.GetAsync(new Uri("/api/after?id=after-disable", UriKind.Relative)))
            {
                string body = await refused.Content.ReadAsStringAsync();
                Assert.True(refused.StatusCode == HttpStatusCode.Unauthorized, $"expected 401 after disabling, got {(int)refused.StatusCode}: {body}");
                Assert.Equal("key_disabled", JsonDocument.Parse(body).RootElement.GetProperty("code").GetString());
            }

            Assert.Null(upstream.Find("after-disable"));
            Assert.NotNull(upstream.Find("r0"));
            chromium.WaitFor(d => d.FindElement(By.Id("updated-at")).GetAttribute("datetime") != updatedAt, "the page still polling after the disable");

            // A phone-width screen: same content, nothing wider than the screen.
            driver.Manage().Window.Size = new Size(PhoneWidth, 844);
            chromium.WaitFor(d => Pixels(js, "window.innerWidth") <= PhoneWidth, "the window at phone width");
            chromium.WaitFor(d => d.FindElement(By.CssSelector(row)).Displayed, "the account card at phone width");
            long scrollWidth = Pixels(js, "document.documentElement.scrollWidth");
            long innerWidth = Pixels(js, "window.innerWidth");
            js.ExecuteScript("arguments[0].scrollIntoView({block: 'center'})", driver.FindElement(By.CssSelector(item)));
            chromium.SaveScreenshot("dashboard-phone" + suffix);
            Assert.True(scrollWidth <= innerWidth, $"the page is {scrollWidth}px wide at a {innerWidth}px window (horizontal overflow); widest: {WidestElement(js)}");

            // The only browser error is the refused wrong key at sign-in: no script error, no CSP violation.
            string[] errors = [.. chromium.ConsoleLog().Split(Environment.NewLine).Where(l => l.Contains("[Severe]", StringComparison.Ordinal))];
            Assert.All(errors, l => Assert.Contains("status of 401", l, StringComparison.Ordinal));
        }
        catch (Exception e)
        {
            string screenshot = TrySaveScreenshot(chromium, "dashboard-failure" + suffix);
            throw new Xunit.Sdk.XunitException(
                $"{e.Message}\nScreenshot: {screenshot}\nBrowser console:\n{chromium.ConsoleLog()}\nGateway output:\n{gateway.Process.Output}", e);
        }
    }

    [Fact]
    public async Task Dashboard_SearchAndIdleAccountLookup_AndARefusedStoredKey_BehaveAsDocumented()
    {
        await using FakeUpstream upstream = await FakeUpstream.StartAsync();
        string idleAccount = AccountAddress.Encode("kira", Enumerable.Repeat((byte)0x44, 20).ToArray());
        using Sr25519KeyPair idleKey = Sr25519KeyPair.FromMiniSecret(Enumerable.Repeat((byte)0x6b, 32).ToArray());
        string idlePublicKey = HexCodec.Encode(idleKey.PublicKey);
        Dictionary<string, string?> settings = Settings(upstream.Address);
        settings["SessionGate:Keys:1:PublicKey"] = idlePublicKey;
        settings["SessionGate:Keys:1:Account"] = idleAccount;
        settings["SessionGate:Keys:1:Expires"] = "2099-01-01T00:00:00Z";
        await using GatewayProcess gateway = await GatewayProcess.StartAsync(settings);
        using Sr25519KeyPair key = TestIdentity.Key();
        using HttpClient signed = TestIdentity.SignedClient(key, gateway.Address);
        using HeadlessChromium chromium = HeadlessChromium.Start(1280, 900);
        IWebDriver driver = chromium.Driver;
        var js = (IJavaScriptExecutor)driver;
        string row = $"tr[data-account='{TestIdentity.Account}']";

        try
        {
            driver.Navigate().GoToUrl(new Uri(gateway.AdminAddress!, "/_sessiongate/dashboard"));
            SignIn(chromium, AdminKey);
            await SendSignedAsync(signed, 2, HttpStatusCode.OK);
            chromium.WaitFor(d => Requests(d, row) >= 2, "the active account's row", TimeSpan.FromSeconds(30));

            // Search is passed to the API: a text no address contains empties the list.
            Search(driver, "zzzz");
            chromium.WaitFor(d => d.FindElements(By.CssSelector(row)).Count == 0 && d.FindElement(By.Id("empty")).Displayed, "no rows for a search nothing matches");
            Search(driver, TestIdentity.Account[5..14]);
            chromium.WaitFor(d => Requests(d, row) >= 2, "the row back for a part of its address");

            // An address without recent traffic is not listed but can be opened to reach its keys.
            Search(driver, idleAccount);
            IWebElement lookup = chromium.WaitFor(d => d.FindElement(By.Id("lookup-button")) is { Displayed: true } button ? button : null!, "the offer to show the idle account");
            Assert.Empty(driver.FindElements(By.CssSelector(row)));
            lookup.Click();
            string idleItem = $"tr[data-keys-for='{idleAccount}'] li[data-public-key='{idlePublicKey}']";
            chromium.WaitFor(d => d.FindElement(By.CssSelector(idleItem + " [data-field='key-status']")).Text == "active", "the idle account's key list");
            Assert.Equal("0", driver.FindElement(By.CssSelector($"tr[data-account='{idleAccount}'] [data-field='requests']")).Text);

            // A stored key the gateway refuses (say, rotated since) brings the form back with the reason.
            js.ExecuteScript("sessionStorage.setItem('sessiongate.adminKey', 'a-rotated-admin-key-000000')");
            driver.Navigate().Refresh();
            chromium.WaitFor(d => d.FindElement(By.Id("login")).Displayed && d.FindElement(By.Id("login-message")).Text.Contains("401", StringComparison.Ordinal), "the form again after a 401");
            Assert.False(driver.FindElement(By.Id("dashboard")).Displayed);
            Assert.Null(js.ExecuteScript("return sessionStorage.getItem('sessiongate.adminKey')"));
            chromium.SaveScreenshot("dashboard-key-refused");
        }
        catch (Exception e)
        {
            string screenshot = TrySaveScreenshot(chromium, "dashboard-search-failure");
            throw new Xunit.Sdk.XunitException(
                $"{e.Message}\nScreenshot: {screenshot}\nBrowser console:\n{chromium.ConsoleLog()}\nGateway output:\n{gateway.Process.Output}", e);
        }
    }

    private static void Search(IWebDriver driver, string text)
    {
        IWebElement search = driver.FindElement(By.Id("search"));
        search.Clear();
        search.SendKeys(text);
    }

    internal static Dictionary<string, string?> Settings(Uri upstream)
    {
        Dictionary<string, string?> settings = TestIdentity.KeySettings();
        settings["SessionGate:Admin:ApiKey"] = AdminKey;
        settings["ReverseProxy:Routes:api:ClusterId"] = "up";
        settings["ReverseProxy:Routes:api:Match:Path"] = "/api/{**rest}";
        settings["ReverseProxy:Routes:api:Metadata:SessionGate.RequireSession"] = "true";
        settings["ReverseProxy:Clusters:up:Destinations:d1:Address"] = upstream.ToString();
        settings["SessionGate:RateLimiting:Tiers:0:Name"] = "free";
        settings["SessionGate:RateLimiting:Tiers:0:MinBalance"] = "0";
        settings["SessionGate:RateLimiting:Tiers:0:PermitsPerMinute"] = "60";
        settings["SessionGate:RateLimiting:Tiers:0:Burst"] = Burst.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return settings;
    }

    internal static void SignIn(HeadlessChromium chromium, string adminKey)
    {
        IWebElement input = chromium.WaitFor(d => d.FindElement(By.Id("api-key")), "the admin key form");
        input.Clear();
        input.SendKeys(adminKey);
        chromium.Driver.FindElement(By.Id("login-submit")).Click();
    }

    private static async Task SendSignedAsync(HttpClient signed, int count, HttpStatusCode expected)
    {
        for (int i = 0; i < count; i++)
        {
            using HttpResponseMessage response = await signed.GetAsync(new Uri($"/api/usage?id=r{i}", UriKind.Relative));
            Assert.True(response.StatusCode == expected, $"signed request {i}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        }
    }

    /// <summary>Sends signed requests until the tier's burst is spent and one is refused; returns the refusals (1).</summary>
    private static async Task<int> SendUntilRefusedAsync(HttpClient signed)
    {
        for (int i = 0; i < 200; i++)
        {
            using HttpResponseMessage response = await signed.GetAsync(new Uri($"/api/burst?id=b{i}", UriKind.Relative));
            if (response.StatusCode == HttpStatusCode.TooManyRequests)
            {
                return 1;
            }

            Assert.True(response.StatusCode == HttpStatusCode.OK, $"burst request {i}: {(int)response.StatusCode}");
        }

        throw new Xunit.Sdk.XunitException("200 signed requests in a row were allowed; the tier's burst is " + Burst);
    }

    /// <summary>Waits (polling, with the gateway's own Retry-After) until the account may send again.</summary>
    private static async Task WaitForRefillAsync(HttpClient signed) =>
        await Eventually.HoldsAsync(
            async () =>
            {
                using HttpResponseMessage response = await signed.GetAsync(new Uri("/api/refill", UriKind.Relative));
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return true;
                }

                await Task.Delay(TimeSpan.FromSeconds(response.Headers.RetryAfter?.Delta?.TotalSeconds ?? 1));
                return false;
            },
            TimeSpan.FromSeconds(60),
            "the account's quota refilling");

    /// <summary>The request count in the account's row; -1 while the row is not there.</summary>
    private static int Requests(IWebDriver driver, string row)
    {
        IReadOnlyCollection<IWebElement> cells = driver.FindElements(By.CssSelector(row + " [data-field='requests']"));
        return cells.Count == 0 ? -1 : Number(cells.First().Text);
    }

    /// <summary>A number as the page formats it (digit grouping depends on the browser's locale).</summary>
    private static int Number(string text)
    {
        string digits = new([.. text.Where(char.IsAsciiDigit)]);
        return digits.Length == 0 ? -1 : int.Parse(digits, System.Globalization.CultureInfo.InvariantCulture);
    }

    internal static long Pixels(IJavaScriptExecutor js, string expression) =>
        Convert.ToInt64(js.ExecuteScript("return " + expression), System.Globalization.CultureInfo.InvariantCulture);

    internal static string WidestElement(IJavaScriptExecutor js) => js.ExecuteScript("""
        let widest = null;
        for (const e of document.querySelectorAll('body *')) {
          const r = e.getBoundingClientRect();
          if (r.right > window.innerWidth && (!widest || r.right > widest.r)) widest = { r: r.right, d: e.tagName + '#' + e.id + '.' + e.className };
        }
        return widest ? widest.d + ' right=' + widest.r : 'none';
        """)?.ToString() ?? "";

    internal static string TrySaveScreenshot(HeadlessChromium chromium, string name)
    {
        try
        {
            return chromium.SaveScreenshot(name);
        }
        catch (WebDriverException e)
        {
            return "(none: " + e.Message + ")";
        }
    }
}
