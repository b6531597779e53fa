using OpenQA.Selenium;
using SessionGate.Crypto;
using SessionGate.IntegrationTests.Browser;
using SessionGate.IntegrationTests.Infrastructure;
using SessionGate.IntegrationTests.Proxy;
using SessionGate.Protocol;
using static SessionGate.IntegrationTests.BrowserClient.DemoPageDriver;

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
        Assert.Matches("^\"[^\"]+\";q=\\d+;w=\\d+", driver.FindElement(By.Id("call-policy")).Text);
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

    private static void AssertRefusal(object outcome, string code)
    {
        var values = Assert.IsAssignableFrom<IDictionary<string, object>>(outcome);
        Assert.Equal(401L, values["status"]);
        Assert.Equal(code, values["code"]);
        Assert.Equal("KiraSession", values["challenge"]);
    }
}
