using OpenQA.Selenium;

namespace SessionGate.IntegrationTests.Browser;

/// <summary>The browser rig itself: Debian's Chromium starts headless, runs script, and takes screenshots.</summary>
public sealed class HeadlessChromiumTests
{
    [Fact]
    public void Runs_script_and_saves_a_screenshot()
    {
        using HeadlessChromium chromium = HeadlessChromium.Start();
        chromium.Driver.Navigate().GoToUrl("data:text/html,<title>probe</title><p id='p'>hello</p><script>document.getElementById('p').textContent += ' from script'</script>");

        Assert.Equal("hello from script", chromium.WaitFor(d => d.FindElement(By.Id("p")).Text, "the script ran"));
        string screenshot = chromium.SaveScreenshot("headless-chromium-probe");
        Assert.True(new FileInfo(screenshot).Length > 100, "a PNG was written");
    }
}
