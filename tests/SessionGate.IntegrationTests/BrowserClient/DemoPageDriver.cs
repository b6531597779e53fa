using OpenQA.Selenium;
using SessionGate.IntegrationTests.Browser;

namespace SessionGate.IntegrationTests.BrowserClient;

/// <summary>What the browser tests do on the demo page: read the widget, call the API, run scripts.</summary>
internal static class DemoPageDriver
{
    /// <summary>The widget's shadow root once it is on the page.</summary>
    public static ISearchContext Widget(HeadlessChromium chromium) =>
        chromium.WaitFor(d => d.FindElement(By.Id("session-key")).GetShadowRoot(), "the <session-key> widget");

    /// <summary>The text of <paramref name="selector"/> in the widget, or null while empty or "–".</summary>
    public static string? Text(ISearchContext shadowRoot, string selector)
    {
        string text = shadowRoot.FindElement(By.CssSelector(selector)).Text;
        return text.Length == 0 || text == "–" ? null : text;
    }

    /// <summary>Fills the page's call form with <paramref name="path"/> and submits it; clears the previous status.</summary>
    public static void Call(HeadlessChromium chromium, string path)
    {
        ((IJavaScriptExecutor)chromium.Driver).ExecuteScript("document.getElementById('call-status').textContent = '';");
        IWebElement input = chromium.Driver.FindElement(By.Id("call-path"));
        input.Clear();
        input.SendKeys(path);
        chromium.Driver.FindElement(By.CssSelector("#call button[type=submit]")).Click();
    }

    /// <summary>The call's status line once it starts with a digit.</summary>
    public static string WaitForStatus(HeadlessChromium chromium)
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

    /// <summary>Runs <paramref name="body"/> with <see cref="PageScripts.Run"/> and returns its object.</summary>
    public static IDictionary<string, object> Script(HeadlessChromium chromium, string body)
    {
        object? result = ((IJavaScriptExecutor)chromium.Driver).ExecuteAsyncScript(PageScripts.Run(body));
        var values = Assert.IsAssignableFrom<IDictionary<string, object>>(result);
        Assert.False(values.ContainsKey("error"), values.TryGetValue("error", out object? error) ? error?.ToString() : null);
        return values;
    }
}
