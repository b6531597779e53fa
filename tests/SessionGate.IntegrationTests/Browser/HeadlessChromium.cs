using OpenQA.Selenium;
using OpenQA.Selenium.Chrome;
using OpenQA.Selenium.Support.UI;

namespace SessionGate.IntegrationTests.Browser;

/// <summary>
/// A real headless Chromium (Debian's <c>chromium</c>) driven through Debian's <c>chromedriver</c> by
/// Selenium. Nothing is downloaded: both paths are fixed, and Selenium Manager is kept offline.
/// test.sh and .ci/run install the two packages.
/// </summary>
internal sealed class HeadlessChromium : IDisposable
{
    public const string BrowserPath = "/usr/bin/chromium";
    public const string DriverPath = "/usr/bin/chromedriver";

    private HeadlessChromium(ChromeDriver driver) => Driver = driver;

    public ChromeDriver Driver { get; }

    /// <summary>Screenshots land here: test output, kept by CI next to the TRX files.</summary>
    public static string ScreenshotDirectory =>
        Path.Combine(AppContext.BaseDirectory, "screenshots");

    /// <param name="width">Window width in CSS pixels (390 is a phone).</param>
    /// <param name="height">Window height.</param>
    public static HeadlessChromium Start(int width = 1280, int height = 900)
    {
        if (!File.Exists(BrowserPath) || !File.Exists(DriverPath))
        {
            throw new InvalidOperationException(
                $"Browser tests need Debian's chromium and chromium-driver ({BrowserPath}, {DriverPath}): apt-get install -y chromium chromium-driver (test.sh does this when run as root).");
        }

        // Selenium Manager would try to download a driver; the paths are given, so keep it offline.
        Environment.SetEnvironmentVariable("SE_OFFLINE", "true");
        var options = new ChromeOptions { BinaryLocation = BrowserPath };
        options.AddArguments(
            "--headless=new",
            "--no-sandbox",               // tests run as root in CI
            "--disable-dev-shm-usage",    // small /dev/shm in containers
            "--disable-gpu",
            "--no-first-run",
            "--disable-extensions",
            $"--window-size={width},{height}");
        ChromeDriverService service = ChromeDriverService.CreateDefaultService(Path.GetDirectoryName(DriverPath)!, Path.GetFileName(DriverPath));
        service.SuppressInitialDiagnosticInformation = true;
        service.HideCommandPromptWindow = true;
        var driver = new ChromeDriver(service, options, TimeSpan.FromSeconds(60));
        driver.Manage().Timeouts().PageLoad = TimeSpan.FromSeconds(30);
        driver.Manage().Timeouts().AsynchronousJavaScript = TimeSpan.FromSeconds(30);
        return new HeadlessChromium(driver);
    }

    /// <summary>Waits until <paramref name="condition"/> returns a non-null, non-false value.</summary>
    public T WaitFor<T>(Func<IWebDriver, T> condition, string what, TimeSpan? timeout = null)
    {
        var wait = new WebDriverWait(Driver, timeout ?? TimeSpan.FromSeconds(20))
        {
            PollingInterval = TimeSpan.FromMilliseconds(100),
            Message = "waiting for " + what,
        };
        wait.IgnoreExceptionTypes(typeof(NoSuchElementException), typeof(StaleElementReferenceException));
        return wait.Until(condition);
    }

    /// <summary>Saves a PNG of the current page under <see cref="ScreenshotDirectory"/> and returns its path.</summary>
    public string SaveScreenshot(string name)
    {
        Directory.CreateDirectory(ScreenshotDirectory);
        string path = Path.Combine(ScreenshotDirectory, name + ".png");
        Driver.GetScreenshot().SaveAsFile(path);
        return path;
    }

    /// <summary>The browser console's messages (errors included), for assertion messages.</summary>
    public string ConsoleLog()
    {
        try
        {
            return string.Join(Environment.NewLine, Driver.Manage().Logs.GetLog(LogType.Browser).Select(entry => entry.ToString()));
        }
        catch (WebDriverException)
        {
            return "(browser log unavailable)";
        }
    }

    public void Dispose()
    {
        Driver.Quit();
        Driver.Dispose();
    }
}
