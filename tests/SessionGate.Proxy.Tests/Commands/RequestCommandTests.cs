using System.Text.Json;
using SessionGate.Protocol;

namespace SessionGate.Proxy.Tests.Commands;

public sealed class RequestCommandTests
{
    private const string Seed = "0x0101010101010101010101010101010101010101010101010101010101010101";
    private static readonly string Account = AccountAddress.Encode("kira", new byte[20]);

    [Fact]
    public async Task Request_GatewayAnswers200_PrintsStatusRateLimitHeadersAndBodyExitZero()
    {
        await using FakeGatewayServer gateway = await FakeGatewayServer.StartAsync();

        CliResult result = await CliRunner.RunAsync("request", "--seed", Seed, "--account", Account, gateway.Url + "/api/echo");

        Assert.True(result.ExitCode == 0, result.Output + result.Error);
        string[] lines = result.Output.Split('\n');
        Assert.Equal("HTTP/1.1 200 OK", lines[0]);
        Assert.Equal("RateLimit: \"per-account\";r=59;t=1", lines[1]);
        Assert.Equal("RateLimit-Policy: \"per-account\";q=60;w=60", lines[2]);
        Assert.Equal("", lines[3]);
        using JsonDocument body = JsonDocument.Parse(lines[4]);
        Assert.Equal("GET", body.RootElement.GetProperty("method").GetString());
        Assert.Equal(Account, body.RootElement.GetProperty("account").GetString());
        Assert.Equal("", result.Error);
    }

    [Fact]
    public async Task Request_DataMethodAndHeaders_SentAsGiven()
    {
        await using FakeGatewayServer gateway = await FakeGatewayServer.StartAsync();

        CliResult result = await CliRunner.RunAsync(
            "request", "--seed", Seed, "--account", Account, "--method", "put", "--data", "{\"n\":1}",
            "--header", "X-Test: one", "--header", "Content-Type: text/plain", gateway.Url + "/api/echo");

        Assert.True(result.ExitCode == 0, result.Output + result.Error);
        using JsonDocument body = JsonDocument.Parse(result.OutputLines[^1]);
        Assert.Equal("PUT", body.RootElement.GetProperty("method").GetString());
        Assert.Equal("{\"n\":1}", body.RootElement.GetProperty("body").GetString());
        Assert.Equal("text/plain", body.RootElement.GetProperty("content_type").GetString());
        Assert.Equal("one", body.RootElement.GetProperty("x_test").GetString());
    }

    [Fact]
    public async Task Request_DataWithoutMethod_PostsJsonFromFile()
    {
        await using FakeGatewayServer gateway = await FakeGatewayServer.StartAsync();
        string file = Path.GetTempFileName();
        await File.WriteAllTextAsync(file, "{\"from\":\"file\"}");
        try
        {
            CliResult result = await CliRunner.RunAsync("request", "--seed", Seed, "--account", Account, "--data", "@" + file, gateway.Url + "/api/echo");

            Assert.True(result.ExitCode == 0, result.Output + result.Error);
            using JsonDocument body = JsonDocument.Parse(result.OutputLines[^1]);
            Assert.Equal("POST", body.RootElement.GetProperty("method").GetString());
            Assert.Equal("{\"from\":\"file\"}", body.RootElement.GetProperty("body").GetString());
            Assert.Equal("application/json", body.RootElement.GetProperty("content_type").GetString());
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public async Task Request_GatewayAnswers429_PrintsRetryAfterExitOne()
    {
        await using FakeGatewayServer gateway = await FakeGatewayServer.StartAsync();

        CliResult result = await CliRunner.RunAsync("request", "--seed", Seed, "--account", Account, gateway.Url + "/api/limited");

        Assert.Equal(1, result.ExitCode);
        Assert.StartsWith("HTTP/1.1 429 Too Many Requests\n", result.Output, StringComparison.Ordinal);
        Assert.Contains("\nRetry-After: 30\n", result.Output, StringComparison.Ordinal);
        Assert.Contains("rate_limited", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Request_CustomPathPrefix_ReadsBlockThere()
    {
        await using FakeGatewayServer gateway = await FakeGatewayServer.StartAsync("/gw");

        CliResult result = await CliRunner.RunAsync("request", "--seed", Seed, "--account", Account, "--path-prefix", "/gw", gateway.Url + "/api/echo");

        Assert.True(result.ExitCode == 0, result.Output + result.Error);
    }

    [Fact]
    public async Task Request_WrongPathPrefix_ExitTwoOneLine()
    {
        await using FakeGatewayServer gateway = await FakeGatewayServer.StartAsync();

        CliResult result = await CliRunner.RunAsync("request", "--seed", Seed, "--account", Account, "--path-prefix", "/nope", gateway.Url + "/api/echo");

        Assert.Equal(2, result.ExitCode);
        Assert.Equal("", result.Output);
        Assert.Contains("404", Assert.Single(result.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries)), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Request_NothingListening_ExitTwoOneLine()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        int port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();

        CliResult result = await CliRunner.RunAsync("request", "--seed", Seed, "--account", Account, $"http://127.0.0.1:{port}/api/x");

        Assert.Equal(2, result.ExitCode);
        Assert.StartsWith("sessiongate request: ", Assert.Single(result.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries)), StringComparison.Ordinal);
    }

    public static TheoryData<string[]> BadArguments => new()
    {
        { new[] { "--account", "ACC", "http://h/x" } },                                   // no --seed
        { new[] { "--seed", Seed, "http://h/x" } },                                       // no --account
        { new[] { "--seed", Seed, "--account", "ACC" } },                                  // no URL
        { new[] { "--seed", Seed, "--account", "ACC", "ftp://h/x" } },                     // not http(s)
        { new[] { "--seed", Seed, "--account", "ACC", "/relative" } },                     // not absolute
        { new[] { "--seed", Seed, "--account", "ACC", "http://h/x", "http://h/y" } },      // two URLs
        { new[] { "--seed", Seed, "--account", "kira1xyz", "http://h/x" } },              // bad account
        { new[] { "--seed", "12", "--account", "ACC", "http://h/x" } },                    // short seed
        { new[] { "--seed", Seed, "--account", "ACC", "--header", "NoColon", "http://h/x" } },
        { new[] { "--seed", Seed, "--account", "ACC", "--header", ": empty", "http://h/x" } },
        { new[] { "--seed", Seed, "--account", "ACC", "--method", "GE T", "http://h/x" } },
        { new[] { "--seed", Seed, "--account", "ACC", "--data", "@/no/such/file", "http://h/x" } },
        { new[] { "--seed", Seed, "--account", "ACC", "--path-prefix", "nope", "http://h/x" } },
        { new[] { "--seed", Seed, "--account", "ACC", "--timeout", "0", "http://h/x" } },
        { new[] { "--seed", Seed, "--account", "ACC", "--bogus", "1", "http://h/x" } },
    };

    [Theory]
    [MemberData(nameof(BadArguments))]
    public async Task Request_BadArguments_ExitTwoOneLine(string[] args)
    {
        string[] withAccount = [.. args.Select(a => a == "ACC" ? Account : a)];

        CliResult result = await CliRunner.RunAsync(["request", .. withAccount]);

        Assert.Equal(2, result.ExitCode);
        Assert.Equal("", result.Output);
        Assert.StartsWith("sessiongate request: ", Assert.Single(result.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries)), StringComparison.Ordinal);
    }
}
