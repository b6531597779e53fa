using OpenQA.Selenium;
using SessionGate.Grants;
using SessionGate.IntegrationTests.Browser;
using SessionGate.IntegrationTests.Infrastructure;
using SessionGate.IntegrationTests.Proxy;
using static SessionGate.IntegrationTests.BrowserClient.DemoPageDriver;

namespace SessionGate.IntegrationTests.BrowserClient;

/// <summary>
/// The widget's wallet flow in a real headless Chromium against the real gateway (grants on): the
/// page has no wallet, then a user who rejects, then a wallet that approves. The wallet is
/// tools/keplr-test-wallet injected as <c>window.keplr</c>: Keplr's own ADR-036 code
/// (<c>@keplr-wallet/cosmos</c>) and <c>@cosmjs/crypto</c>, bundled for the test only.
/// Connect wallet → grant → a signed call gets 200 → the widget shows the holder's quota from
/// <c>/session</c> → Revoke key (wallet-signed) → the next call is refused <c>key_disabled</c>.
/// </summary>
[Collection(GatewayProcessCollection.Name)]
public sealed class WalletGrantBrowserTests
{
    private const string WalletKeyHex = "4f3edf983ac636a65a842ce7c78d9aa706d3b113bce9c46f30d7d21715b23b1d";

    [Fact]
    public async Task Connect_wallet_grants_the_browser_key_which_works_until_the_wallet_revokes_it()
    {
        string walletScript = await KeplrTestWallet.BundleAsync();
        await using FakeUpstream upstream = await FakeUpstream.StartAsync();
        await using DemoGateway gateway = await DemoGateway.StartAsync(RedisServer.FreeTcpPort(), upstream.Address, [], grants: true);
        using HeadlessChromium chromium = HeadlessChromium.Start(height: 1600);
        var js = (IJavaScriptExecutor)chromium.Driver;
        chromium.Driver.Navigate().GoToUrl(new Uri(gateway.Address, "/_sessiongate/demo"));
        ISearchContext widget = Widget(chromium);
        chromium.WaitFor(_ => Text(widget, "[part=publicKey]") is "none" ? "none" : null, "the widget to find no key");

        // 1. No wallet in the page: a clear error, nothing else happens.
        Click(widget, "connect");
        Assert.StartsWith("No wallet found: install the Keplr extension", WaitForError(chromium, widget), StringComparison.Ordinal);
        Assert.Equal("none", Text(widget, "[part=publicKey]"));

        // 2. The user rejects the grant in the wallet.
        js.ExecuteScript(walletScript);
        string address = Assert.IsType<string>(js.ExecuteAsyncScript(Install(reject: "sign")));
        Assert.True(Adr036Signer.TryCreate(Convert.FromHexString(WalletKeyHex), out Adr036Signer? signer));
        using (signer)
        {
            // @cosmjs/amino (in the page) and the gateway's own derivation name the same account.
            Assert.Equal(signer.AccountAddress("kira"), address);
        }

        Click(widget, "connect");
        Assert.Equal("The wallet did not sign the grant: Request rejected. Nothing was granted or changed.", WaitForError(chromium, widget));

        // 3. The wallet approves: the key is granted to the wallet's account, with the granted expiry.
        js.ExecuteAsyncScript(Install(reject: null));
        Click(widget, "connect");
        string granted = chromium.WaitFor(_ => Text(widget, "[part=status]") is { } t && t.StartsWith("Granted", StringComparison.Ordinal) ? t : null, "the grant\n" + ErrorText(widget) + "\n" + chromium.ConsoleLog())!;
        Assert.StartsWith($"Granted: the key belongs to {address} until ", granted, StringComparison.Ordinal);
        string publicKey = Text(widget, "[part=publicKey]")!;
        Assert.Matches("^0x[0-9a-f]{64}$", publicKey);
        Assert.Equal(address, Text(widget, "[part=account]"));
        IDictionary<string, object> calls = Script(chromium, "return { calls: JSON.stringify(window.keplr.calls.map((c) => c.slice(0, 2))), message: window.keplr.calls.at(-1)[3] };");
        // The widget asks for the account after enable(); grantSessionKey asks again before signing.
        Assert.Equal("[[\"enable\",\"sessiongate-dev\"],[\"getKey\",\"sessiongate-dev\"],[\"getKey\",\"sessiongate-dev\"],[\"signArbitrary\",\"sessiongate-dev\"]]", calls["calls"]);
        string message = (string)calls["message"];
        Assert.StartsWith($"{DemoGateway.GrantsDomain(gateway.Address.Port)} wants you to grant a session key to your account:\n{address}\n\nAllow this browser", message, StringComparison.Ordinal);
        Assert.Contains($"\nSession Key: {publicKey}\n", message, StringComparison.Ordinal);

        // 4. The holder's own quota from /session, and a signed call through the gateway.
        string quota = chromium.WaitFor(_ => Text(widget, "[part=session]") is { } t && t.StartsWith("rate:", StringComparison.Ordinal) ? t : null, "the /session quota")!;
        Assert.Matches(@"^rate: \d+ of \d+ left \(resets in \d+ s\)", quota);
        js.ExecuteScript("window.sessionViewBeforeCall = document.getElementById('session-key').session;");
        Call(chromium, "/api/hello");
        Assert.StartsWith("200", WaitForStatus(chromium));
        ReceivedRequest received = Assert.Single(upstream.Received, r => r.Path == "/api/hello");
        Assert.Equal(address, received.Header("X-SessionGate-Account"));
        Assert.Equal(publicKey, received.Header("X-SessionGate-Key"));
        // The widget reads /session again after the call (a new answer object; its numbers may refill meanwhile).
        chromium.WaitFor(_ => js.ExecuteScript("const s = document.getElementById('session-key').session; return s !== null && s !== window.sessionViewBeforeCall;") is true, "the /session quota to be read again after the call");
        Assert.Matches(@"^rate: \d+ of \d+ left", Text(widget, "[part=session]"));
        chromium.SaveScreenshot("browser-wallet-granted");

        // 5. Revoke with the wallet: the key stays in the page but the gateway refuses it for good.
        Click(widget, "revoke");
        string revoked = chromium.WaitFor(_ => Text(widget, "[part=status]") is { } t && t.StartsWith("Revoked", StringComparison.Ordinal) ? t : null, "the revocation\n" + ErrorText(widget))!;
        Assert.Equal($"Revoked: {publicKey} is disabled for good.", revoked);
        Assert.Equal("refused: key_disabled", chromium.WaitFor(_ => Text(widget, "[part=session]") is { } t && t.StartsWith("refused", StringComparison.Ordinal) ? t : null, "the widget to show the refusal"));
        Call(chromium, "/api/hello");
        Assert.StartsWith("401", WaitForStatus(chromium));
        Assert.StartsWith("key_disabled", chromium.Driver.FindElement(By.Id("call-problem")).Text, StringComparison.Ordinal);
        Assert.Equal("signArbitrary", Script(chromium, "return { last: window.keplr.calls.at(-1)[0], revoke: window.keplr.calls.at(-1)[3] };")["last"]);

        // 6. Connecting again re-grants nothing: the gateway keeps the key disabled (409 key_disabled).
        Click(widget, "connect");
        Assert.Contains("key_disabled", WaitForError(chromium, widget), StringComparison.Ordinal);
        chromium.SaveScreenshot("browser-wallet-revoked");
    }

    private static string Install(string? reject) =>
        $"const done = arguments[arguments.length - 1]; window.installTestKeplr({{ privateKey: '{WalletKeyHex}', reject: {(reject is null ? "null" : $"'{reject}'")} }}).then(done, (e) => done(String(e)));";

    private static void Click(ISearchContext widget, string part) =>
        widget.FindElement(By.CssSelector($"button[part={part}]")).Click();

    private static string ErrorText(ISearchContext widget) => "error: " + (Text(widget, "[part=error]") ?? "(none)");

    private static string WaitForError(HeadlessChromium chromium, ISearchContext widget) =>
        chromium.WaitFor(_ => Text(widget, "[part=error]"), "an error in the widget\n" + chromium.ConsoleLog())!;
}
