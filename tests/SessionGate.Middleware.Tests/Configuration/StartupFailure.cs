using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace SessionGate.Middleware.Tests.Configuration;

/// <summary>Starts an app with <c>AddSessionGate()</c> over the given settings and returns the validation failure it must end with.</summary>
internal static class StartupFailure
{
    public static async Task<OptionsValidationException> OfAsync(Dictionary<string, string?> settings)
    {
        WebApplicationBuilder builder = WebApplication.CreateBuilder();
        builder.WebHost.UseTestServer();
        builder.Configuration.AddInMemoryCollection(settings);
        builder.Services.AddSessionGate();
        await using WebApplication app = builder.Build();
        return await Assert.ThrowsAsync<OptionsValidationException>(() => app.StartAsync());
    }
}
