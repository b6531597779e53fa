using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace SessionGate.Middleware.Tests.Configuration;

public sealed class StartupValidationTests
{
    [Fact]
    public async Task Start_InvalidConfiguration_FailsListingEveryProblemByKey()
    {
        OptionsValidationException error = await StartupFailure.OfAsync(new Dictionary<string, string?>
        {
            ["SessionGate:Window"] = "-00:01:00",
            ["SessionGate:AddressPrefix"] = "KIRA!",
            ["SessionGate:PathPrefix"] = "nope/",
            ["SessionGate:Chain:Mode"] = "Tendermint",
            ["SessionGate:Keys:0:PublicKey"] = "0x1234",
            ["SessionGate:Keys:0:Account"] = "kira1xyz",
        });

        string message = string.Join("\n", error.Failures);
        Assert.Contains("SessionGate:Window", message, StringComparison.Ordinal);
        Assert.Contains("SessionGate:AddressPrefix", message, StringComparison.Ordinal);
        Assert.Contains("SessionGate:PathPrefix", message, StringComparison.Ordinal);
        Assert.Contains("SessionGate:Chain:RpcUrl", message, StringComparison.Ordinal);
        Assert.Contains("SessionGate:Keys:0:PublicKey", message, StringComparison.Ordinal);
        Assert.Contains("SessionGate:Keys:0:Expires", message, StringComparison.Ordinal);
        Assert.True(error.Failures.Count() >= 6);
    }

    [Fact]
    public async Task Start_ConfiguredKeyIsIdentityOrNotCanonical_FailsNamingTheKey()
    {
        const string identity = "0x0000000000000000000000000000000000000000000000000000000000000000";
        const string notCanonical = "0xedffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f";
        OptionsValidationException error = await StartupFailure.OfAsync(new Dictionary<string, string?>
        {
            ["SessionGate:Keys:0:PublicKey"] = identity,
            ["SessionGate:Keys:0:Account"] = TestGateway.AccountFor(1),
            ["SessionGate:Keys:0:Expires"] = "2099-01-01T00:00:00Z",
            ["SessionGate:Keys:1:PublicKey"] = notCanonical,
            ["SessionGate:Keys:1:Account"] = TestGateway.AccountFor(2),
            ["SessionGate:Keys:1:Expires"] = "2099-01-01T00:00:00Z",
            ["SessionGate:Keys:1:Scopes:0:Path"] = "/api/",
            ["SessionGate:Keys:1:Scopes:0:MaxCost"] = "0",
        });

        string message = string.Join("\n", error.Failures);
        Assert.Contains($"SessionGate:Keys:0:PublicKey {identity} is not a valid sr25519 public key", message, StringComparison.Ordinal);
        Assert.Contains($"SessionGate:Keys:1:PublicKey {notCanonical} is not a valid sr25519 public key", message, StringComparison.Ordinal);
        Assert.Contains("SessionGate:Keys:1:Scopes:0:MaxCost", message, StringComparison.Ordinal);
    }

    [Fact]
    public void UseSessionGate_WithoutAddSessionGate_FailsWithAClearMessage()
    {
        WebApplicationBuilder builder = WebApplication.CreateBuilder();
        builder.WebHost.UseTestServer();
        using WebApplication app = builder.Build();

        InvalidOperationException error = Assert.Throws<InvalidOperationException>(() => app.UseSessionGate());
        Assert.Contains("AddSessionGate()", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AddSessionGate_ConfigureDelegate_OverridesConfiguration()
    {
        WebApplicationBuilder builder = WebApplication.CreateBuilder();
        builder.WebHost.UseTestServer();
        builder.Services.AddSessionGate(o => o.PathPrefix = "/custom");
        await using WebApplication app = builder.Build();
        app.UseSessionGate();
        await app.StartAsync();

        using HttpClient client = app.GetTestClient();
        using HttpResponseMessage response = await client.GetAsync("/custom/version");
        Assert.True(response.IsSuccessStatusCode);
    }

    [Fact]
    public async Task AddSessionGate_CalledTwice_StartsAndAppliesBothDelegates()
    {
        WebApplicationBuilder builder = WebApplication.CreateBuilder();
        builder.WebHost.UseTestServer();
        builder.Services.AddSessionGate(o => o.PathPrefix = "/first");
        builder.Services.AddSessionGate(o => o.PathPrefix = "/second");
        await using WebApplication app = builder.Build();
        app.UseSessionGate();
        app.UseRateLimiter();
        await app.StartAsync();

        using HttpClient client = app.GetTestClient();
        using HttpResponseMessage response = await client.GetAsync("/second/version");
        Assert.True(response.IsSuccessStatusCode);
    }
}
