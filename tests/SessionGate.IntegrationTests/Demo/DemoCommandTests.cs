using System.Text.Json;
using SessionGate.IntegrationTests.Proxy;

namespace SessionGate.IntegrationTests.Demo;

/// <summary>
/// The README's first command: <c>sessiongate demo</c> as a real process. The tests read its printed
/// instructions and run the printed commands in a shell, exactly as a newcomer would paste them.
/// </summary>
[Collection(Proxy.GatewayProcessCollection.Name)]
public sealed class DemoCommandTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task Demo_PrintedRequestCommand_Returns200FromTheDemoApi()
    {
        await using ChildProcess demo = ChildProcess.StartSessionGate(["demo"]);
        await demo.WaitForLineAsync(l => l.Contains("Press Ctrl+C", StringComparison.Ordinal), Deadline, "the demo prints its instructions");
        string command = Printed(demo, " request --seed ");
        string account = Printed(demo, "account ").Split(' ', StringSplitOptions.RemoveEmptyEntries)[1];

        (int exitCode, string output) = await ShellAsync(command);

        Assert.True(exitCode == 0, $"exit {exitCode}: {output}\nDemo output:\n{demo.Output}");
        string[] lines = output.Split('\n');
        Assert.Equal("HTTP/1.1 200 OK", lines[0]);
        using JsonDocument body = JsonDocument.Parse(output[output.IndexOf('{', StringComparison.Ordinal)..]);
        Assert.Equal("Hello from the demo API", body.RootElement.GetProperty("message").GetString());
        Assert.Equal(account, body.RootElement.GetProperty("account").GetString());
    }

    [Fact]
    public async Task Demo_PrintedCurlCommands_Return200()
    {
        // The printed curl form must work as printed; test.sh and .ci/run install curl.
        Assert.True(OnPath("curl"), "curl is not installed (apt-get install curl; ./test.sh does this).");

        await using ChildProcess demo = ChildProcess.StartSessionGate(["demo"]);
        await demo.WaitForLineAsync(l => l.Contains("Press Ctrl+C", StringComparison.Ordinal), Deadline, "the demo prints its instructions");
        string script = Printed(demo, "HASH=$(curl") + "\n" + Printed(demo, "curl -i -H") + "\n";

        (int exitCode, string output) = await ShellAsync(script);

        Assert.True(exitCode == 0, $"exit {exitCode}: {output}");
        Assert.StartsWith("HTTP/1.1 200 OK", output, StringComparison.Ordinal);
        Assert.Contains("Hello from the demo API", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Demo_PrintedDashboardAndAdminKey_ServeThePageAndTheAdminApi()
    {
        await using ChildProcess demo = ChildProcess.StartSessionGate(["demo"]);
        await demo.WaitForLineAsync(l => l.Contains("Press Ctrl+C", StringComparison.Ordinal), Deadline, "the demo prints its instructions");
        var dashboard = new Uri(Printed(demo, "dashboard ").Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]);
        string adminKey = Printed(demo, "admin key ").Split(' ', StringSplitOptions.RemoveEmptyEntries)[2];
        using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };

        using HttpResponseMessage page = await client.GetAsync(dashboard);
        var browserDemo = new Uri(Printed(demo, "browser demo ").Split(' ', StringSplitOptions.RemoveEmptyEntries)[2]);
        using HttpResponseMessage demoPage = await client.GetAsync(browserDemo);
        using HttpResponseMessage metrics = await client.GetAsync(new Uri(dashboard, "/metrics"));
        (int exitCode, string usage) = await ShellAsync(Printed(demo, "Authorization: Bearer"));
        using var wrongKey = new HttpRequestMessage(HttpMethod.Get, new Uri(dashboard, "admin/usage"));
        wrongKey.Headers.Authorization = new("Bearer", new string('0', 64));
        using HttpResponseMessage refused = await client.SendAsync(wrongKey);

        Assert.Equal(System.Net.HttpStatusCode.OK, page.StatusCode);
        Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
        Assert.Equal(System.Net.HttpStatusCode.OK, demoPage.StatusCode);
        Assert.Equal("text/html", demoPage.Content.Headers.ContentType?.MediaType);
        Assert.Contains("session-key", await demoPage.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(System.Net.HttpStatusCode.OK, metrics.StatusCode);
        Assert.DoesNotContain("not served", demo.Output, StringComparison.Ordinal);
        Assert.Matches("^[0-9a-f]{64}$", adminKey);
        Assert.True(exitCode == 0, $"exit {exitCode}: {usage}");
        using JsonDocument body = JsonDocument.Parse(usage);
        Assert.Equal(60, body.RootElement.GetProperty("windowSeconds").GetInt32());
        Assert.Equal(System.Net.HttpStatusCode.Unauthorized, refused.StatusCode);
    }

    [Fact]
    public async Task Demo_EachRun_MakesADifferentAdminKey()
    {
        string[] keys = new string[2];
        for (int i = 0; i < keys.Length; i++)
        {
            await using ChildProcess demo = ChildProcess.StartSessionGate(["demo", "--seed", "0x" + new string('7', 64)]);
            await demo.WaitForLineAsync(l => l.Contains("Press Ctrl+C", StringComparison.Ordinal), Deadline, "the demo prints its instructions");
            keys[i] = Printed(demo, "admin key ").Split(' ', StringSplitOptions.RemoveEmptyEntries)[2];
        }

        Assert.NotEqual(keys[0], keys[1]);
    }

    [Fact]
    public async Task Demo_CtrlC_StopsCleanlyWithExitCodeZero()
    {
        await using ChildProcess demo = ChildProcess.StartSessionGate(["demo"]);
        await demo.WaitForLineAsync(l => l.Contains("Press Ctrl+C", StringComparison.Ordinal), Deadline, "the demo prints its instructions");

        await demo.InterruptAsync();
        int exitCode = await demo.WaitForExitAsync(Deadline);

        Assert.True(exitCode == 0, $"exit {exitCode}; output:\n{demo.Output}");
        Assert.Contains("SessionGate demo stopped.", demo.Output, StringComparison.Ordinal);
        Assert.DoesNotContain(demo.StandardErrorLines, l => l.Contains("fail", StringComparison.OrdinalIgnoreCase) || l.Contains("exception", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task Demo_GivenSeed_PrintedCommandSignsWithIt()
    {
        string seed = "0x" + new string('7', 64);
        await using ChildProcess demo = ChildProcess.StartSessionGate(["demo", "--seed", seed]);
        await demo.WaitForLineAsync(l => l.Contains("Press Ctrl+C", StringComparison.Ordinal), Deadline, "the demo prints its instructions");

        string command = Printed(demo, " request --seed ");

        Assert.Contains($"--seed {seed} ", command, StringComparison.Ordinal);
        Assert.Contains("dashboard", demo.Output, StringComparison.Ordinal);
    }

    private static string Printed(ChildProcess demo, string marker) =>
        demo.Output.Split('\n').FirstOrDefault(l => l.Contains(marker, StringComparison.Ordinal))?.Trim()
        ?? throw new Xunit.Sdk.XunitException($"The demo printed no line with '{marker}':\n{demo.Output}");

    private static async Task<(int ExitCode, string Output)> ShellAsync(string script)
    {
        await using ChildProcess shell = ChildProcess.Start("/bin/sh", ["-c", script]);
        int exitCode = await shell.WaitForExitAsync(Deadline);
        return (exitCode, string.Join('\n', shell.Output.Split('\n').Where(l => !l.StartsWith('!'))));
    }

    private static bool OnPath(string program) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':').Any(dir => File.Exists(Path.Combine(dir, program)));
}
