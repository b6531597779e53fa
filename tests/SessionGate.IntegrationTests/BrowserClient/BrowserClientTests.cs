using OpenQA.Selenium;
using SessionGate.Crypto;
using SessionGate.IntegrationTests.Browser;
using SessionGate.IntegrationTests.Infrastructure;
using SessionGate.IntegrationTests.Proxy;
using SessionGate.Protocol;

namespace SessionGate.IntegrationTests.BrowserClient;

/// <summary>
/// The end-to-end proof that the JavaScript signer (clients/js, @scure/sr25519 in Chromium) and the
/// C# verifier agree: the demo page served by the real gateway creates a session key in the browser,
/// the key is registered for an account, and the page calls a protected route through the gateway.
/// </summary>
[Collection(GatewayProcessCollection.Name)]
public sealed class BrowserClientTests
{
    private static readonly string Account = AccountAddress.Encode("kira", Enumerable.Repeat((byte)0x5c, 20).ToArray());

    [Fact]
    public async Task A_key_made_in_the_browser_calls_the_protected_api_through_the_gateway()
    {
        await using FakeUpstream upstream = await FakeUpstream.StartAsync();
        int port = RedisServer.FreeTcpPort();
        using HeadlessChromium chromium = HeadlessChromium.Start(height: 1500);
        IWebDriver driver = chromium.Driver;
        string page = $"http://127.0.0.1:{port}/_sessiongate/demo?account={Account}";

        // 1. The page creates a key; the gateway does not know it yet.
        string publicKey;
        await using (DemoGateway first = await DemoGateway.StartAsync(port, upstream.Address, []))
        {
            driver.Navigate().GoToUrl(page);
            ISearchContext widget = chromium.WaitFor(d => d.FindElement(By.Id("session-key")).GetShadowRoot(), "the <session-key> widget");
            Assert.Equal("none", chromium.WaitFor(_ => Text(widget, "[part=publicKey]") is "none" ? "none" : null, "the widget to find no key"));
            widget.FindElement(By.CssSelector("button[part=create]")).Click();
            publicKey = chromium.WaitFor(_ => Text(widget, "[part=publicKey]") is { } t && t.StartsWith("0x", StringComparison.Ordinal) ? t : null, "a key to be created\n" + chromium.ConsoleLog())!;
            Assert.Matches("^0x[0-9a-f]{64}$", publicKey);
            Assert.Equal(Account, Text(widget, "[part=account]"));

            Call(chromium, "/api/hello");
            Assert.StartsWith("401", WaitForStatus(chromium));
            Assert.StartsWith("key_unknown", driver.FindElement(By.Id("call-problem")).Text, StringComparison.Ordinal);
        }

        // 2. Registered through configuration: the same origin (port), so the page keeps its key.
        await using DemoGateway gateway = await DemoGateway.StartAsync(port, upstream.Address, [(publicKey, Account)]);
        driver.Navigate().GoToUrl(page);
        ISearchContext reloaded = chromium.WaitFor(d => d.FindElement(By.Id("session-key")).GetShadowRoot(), "the widget after reload");
        Assert.Equal(publicKey, chromium.WaitFor(_ => Text(reloaded, "[part=publicKey]") is { } t && t.StartsWith("0x", StringComparison.Ordinal) ? t : null, "the stored key to load")!);

        // 3. The page's call goes through with the RateLimit headers, and the widget shows the quota.
        Call(chromium, "/api/hello");
        Assert.StartsWith("200", WaitForStatus(chromium));
        Assert.Matches("^\"[^\"]+\";q=\\d+;w=60", driver.FindElement(By.Id("call-policy")).Text);
        Assert.Matches("^\"[^\"]+\";r=\\d+;t=\\d+", driver.FindElement(By.Id("call-ratelimit")).Text);
        Assert.Contains("\"upstream\":\"fake\"", driver.FindElement(By.Id("call-body")).Text, StringComparison.Ordinal);
        Assert.Matches(@"left \(resets in \d+ s\)", Text(reloaded, "[part=quota]"));
        ReceivedRequest received = Assert.Single(upstream.Received, r => r.Path == "/api/hello");
        Assert.Equal(Account, received.Header("X-SessionGate-Account"));
        Assert.Equal(publicKey, received.Header("X-SessionGate-Key"));
        chromium.SaveScreenshot("browser-client-demo-page");

        // 4. A tampered signature and a block the gateway does not know are refused with their codes.
        IDictionary<string, object> refusals = Script(chromium, PageScripts.ForgedAndStaleHeaders);
        AssertRefusal(refusals["forged"], "signature_invalid");
        AssertRefusal(refusals["stale"], "block_unknown");
        Assert.Equal(200L, refusals["valid"]);

        // 5. At rest the seed is AES-GCM ciphertext under a non-extractable key; it is nowhere in clear.
        IDictionary<string, object> secret = Script(chromium, PageScripts.SecretAtRest);
        using (Sr25519KeyPair fromSeed = Sr25519KeyPair.FromMiniSecret(Convert.FromHexString((string)secret["seedHex"])))
        {
            Assert.Equal(publicKey, HexCodec.Encode(fromSeed.PublicKey));
        }

        Assert.Equal(publicKey, secret["publicKey"]);
        Assert.Equal("account,ciphertext,created,expires,iv,publicKey,version,wrappingKey", secret["fields"]);
        Assert.Equal(48L, secret["ciphertextLength"]);
        Assert.Equal(false, secret["ciphertextHoldsSeed"]);
        Assert.Equal(false, secret["extractable"]);
        Assert.Equal(false, secret["exportable"]);
        Assert.Equal("AES-GCM", secret["algorithm"]);
        Assert.Equal(false, secret["inWebStorageOrDom"]);
        Assert.Equal(0L, secret["localStorageItems"]);
        Assert.Equal(0L, secret["sessionStorageItems"]);
        Assert.Empty((IEnumerable<object>)secret["leakingGlobals"]);
    }

    [Fact]
    public async Task The_demo_page_registers_its_key_through_the_admin_api()
    {
        const string AdminKey = "4cf4290f76b3aa108780c23e69ce20985e6b7e5d6b6e45d70121c7ebdb441cde";
        await using FakeUpstream upstream = await FakeUpstream.StartAsync();
        await using DemoGateway gateway = await DemoGateway.StartAsync(RedisServer.FreeTcpPort(), upstream.Address, [], AdminKey);
        using HeadlessChromium chromium = HeadlessChromium.Start(height: 1500);
        IWebDriver driver = chromium.Driver;
        driver.Navigate().GoToUrl(new Uri(gateway.Address, $"/_sessiongate/demo?account={Account}"));
        ISearchContext widget = chromium.WaitFor(d => d.FindElement(By.Id("session-key")).GetShadowRoot(), "the <session-key> widget");
        chromium.WaitFor(_ => Text(widget, "[part=publicKey]") is "none" ? "none" : null, "the widget to find no key");
        widget.FindElement(By.CssSelector("button[part=create]")).Click();
        string publicKey = chromium.WaitFor(_ => Text(widget, "[part=publicKey]") is { } t && t.StartsWith("0x", StringComparison.Ordinal) ? t : null, "a key to be created")!;

        // A wrong admin key is refused with the admin API's problem code, shown on the page.
        Register(chromium, "wrong-admin-key-0123456789");
        Assert.StartsWith("401 admin_unauthorized", WaitForRegistration(chromium), StringComparison.Ordinal);

        Register(chromium, AdminKey);
        string registered = WaitForRegistration(chromium);
        Assert.StartsWith($"201: {publicKey} registered for {Account} until ", registered, StringComparison.Ordinal);

        // The gateway granted the expiry the page asked for (one day), and the widget shows the granted one.
        DateTimeOffset granted = ParseTime(registered[(registered.LastIndexOf(' ') + 1)..]);
        string shown = Text(widget, "[part=expires]")!;
        Assert.Equal(granted, ParseTime(shown[..shown.IndexOf(' ', StringComparison.Ordinal)]));
        TimeSpan lifetime = granted - DateTimeOffset.UtcNow;
        Assert.InRange(lifetime, TimeSpan.FromHours(23), TimeSpan.FromHours(24));

        Call(chromium, "/api/hello");
        Assert.StartsWith("200", WaitForStatus(chromium));
        Assert.Matches("^\"[^\"]+\";r=\\d+;t=\\d+", driver.FindElement(By.Id("call-ratelimit")).Text);
        chromium.SaveScreenshot("browser-client-admin-registration");

        // Forget: the key is gone from the page and from IndexedDB; the call has no key to sign with.
        widget.FindElement(By.CssSelector("button[part=forget]")).Click();
        chromium.WaitFor(_ => Text(widget, "[part=publicKey]") is "none" ? "none" : null, "the key to be forgotten");
        IDictionary<string, object> stored = Script(chromium, "return { stored: (await widget.store.load()) !== null };");
        Assert.Equal(false, stored["stored"]);
    }

    private static DateTimeOffset ParseTime(string text) =>
        DateTimeOffset.Parse(text, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AssumeUniversal);

    private static void Register(HeadlessChromium chromium, string adminKey)
    {
        IWebElement input = chromium.Driver.FindElement(By.Id("admin-key"));
        input.Clear();
        input.SendKeys(adminKey);
        ((IJavaScriptExecutor)chromium.Driver).ExecuteScript("document.getElementById('register-result').textContent = '';");
        chromium.Driver.FindElement(By.CssSelector("#register button[type=submit]")).Click();
    }

    private static string WaitForRegistration(HeadlessChromium chromium) =>
        chromium.WaitFor(d => d.FindElement(By.Id("register-result")).Text is { Length: > 0 } t && t != "Registering…" ? t : null, "the registration's answer")!;

    private static void Call(HeadlessChromium chromium, string path)
    {
        IWebElement input = chromium.Driver.FindElement(By.Id("call-path"));
        input.Clear();
        input.SendKeys(path);
        chromium.Driver.FindElement(By.CssSelector("#call button[type=submit]")).Click();
    }

    private static string WaitForStatus(HeadlessChromium chromium)
    {
        try
        {
            return chromium.WaitFor(d => d.FindElement(By.Id("call-status")).Text is { } t && char.IsAsciiDigit(t.FirstOrDefault()) ? t : null, "the call's status")!;
        }
        catch (WebDriverTimeoutException e)
        {
            throw new Xunit.Sdk.XunitException($"{e.Message}; the page shows \"{chromium.Driver.FindElement(By.Id("call-status")).Text}\"\n{chromium.ConsoleLog()}");
        }
    }

    private static string? Text(ISearchContext shadowRoot, string selector)
    {
        string text = shadowRoot.FindElement(By.CssSelector(selector)).Text;
        return text.Length == 0 || text == "–" ? null : text;
    }

    private static IDictionary<string, object> Script(HeadlessChromium chromium, string body)
    {
        object? result = ((IJavaScriptExecutor)chromium.Driver).ExecuteAsyncScript(PageScripts.Run(body));
        var values = Assert.IsAssignableFrom<IDictionary<string, object>>(result);
        Assert.False(values.ContainsKey("error"), values.TryGetValue("error", out object? error) ? error?.ToString() : null);
        return values;
    }

    private static void AssertRefusal(object outcome, string code)
    {
        var values = Assert.IsAssignableFrom<IDictionary<string, object>>(outcome);
        Assert.Equal(401L, values["status"]);
        Assert.Equal(code, values["code"]);
        Assert.Equal("KiraSession", values["challenge"]);
    }
}
