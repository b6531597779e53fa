using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace SessionGate.Middleware.Tests.Configuration;

/// <summary><c>SessionGate:Difficulty</c> from configuration: validated at start-up with the rest, and announced by <c>/block</c>.</summary>
public sealed class DifficultyConfigurationTests
{
    private static WebApplication Build(Dictionary<string, string?> settings, bool useSessionGate = true)
    {
        WebApplicationBuilder builder = WebApplication.CreateBuilder();
        builder.WebHost.UseTestServer();
        builder.Configuration.AddInMemoryCollection(settings);
        builder.Services.AddSessionGate();
        WebApplication app = builder.Build();
        if (useSessionGate)
        {
            app.UseSessionGate();
        }

        return app;
    }

    [Fact]
    public async Task Start_BadDifficultySettings_FailListingEachKey()
    {
        await using WebApplication app = Build(new()
        {
            ["SessionGate:Difficulty:Mode"] = "Auto",
            ["SessionGate:Difficulty:Bits"] = "40",
            ["SessionGate:Difficulty:FirstSeenVerificationsPerSecond"] = "0",
            ["SessionGate:Difficulty:LowerBelowFraction"] = "2",
        }, useSessionGate: false);

        OptionsValidationException error = await Assert.ThrowsAsync<OptionsValidationException>(() => app.StartAsync());

        string message = string.Join("\n", error.Failures);
        Assert.Contains("SessionGate:Difficulty:Bits", message, StringComparison.Ordinal);
        Assert.Contains("SessionGate:Difficulty:FirstSeenVerificationsPerSecond", message, StringComparison.Ordinal);
        Assert.Contains("SessionGate:Difficulty:LowerBelowFraction", message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null, 0)]
    [InlineData("Off", 0)]
    [InlineData("Auto", 0)]
    [InlineData("Always", 14)]
    public async Task Block_AnnouncesTheDifficultyInForce(string? mode, int expected)
    {
        var settings = new Dictionary<string, string?> { ["SessionGate:Difficulty:Bits"] = "14" };
        if (mode is not null)
        {
            settings["SessionGate:Difficulty:Mode"] = mode;
        }

        await using WebApplication app = Build(settings);
        await app.StartAsync();
        using HttpClient client = app.GetTestClient();

        // The block feed's first block may arrive just after start-up (503 chain_unavailable until then).
        HttpResponseMessage response = await client.GetAsync("/_sessiongate/block");
        for (DateTime deadline = DateTime.UtcNow.AddSeconds(10); response.StatusCode == HttpStatusCode.ServiceUnavailable && DateTime.UtcNow < deadline;)
        {
            response.Dispose();
            await Task.Delay(50);
            response = await client.GetAsync("/_sessiongate/block");
        }

        using HttpResponseMessage answered = response;
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using JsonDocument block = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal(expected, block.RootElement.GetProperty("difficulty").GetInt32());
    }
}
