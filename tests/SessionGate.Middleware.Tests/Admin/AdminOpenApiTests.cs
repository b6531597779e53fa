using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using SessionGate.AspNetCore.Admin;

namespace SessionGate.Middleware.Tests.Admin;

/// <summary>The OpenAPI document matches the router exactly, and admin routes stay out of endpoint routing.</summary>
public sealed class AdminOpenApiTests
{
    [Fact]
    public async Task OpenApi_ListsExactlyTheRoutesTheRouterServes()
    {
        await using AdminTestGateway admin = await AdminTestGateway.StartAsync();
        JsonElement document = await admin.JsonAsync("GET", "/openapi.json");
        AdminServices services = AdminServices.From(admin.Gateway.App.Services);

        string[] served = [.. AdminRoutes.Create(services, NullLogger.Instance).Routes.Select(r => r.Method + " " + r.Template).Order(StringComparer.Ordinal)];
        string[] documented = [.. document.GetProperty("paths").EnumerateObject()
            .SelectMany(p => p.Value.EnumerateObject().Select(m => m.Name.ToUpperInvariant() + " " + p.Name))
            .Order(StringComparer.Ordinal)];

        Assert.Equal("3.1.0", document.GetProperty("openapi").GetString());
        Assert.Equal("bearer", document.GetProperty("components").GetProperty("securitySchemes").GetProperty("adminKey").GetProperty("scheme").GetString());
        Assert.Equal(served, documented);
        Assert.Equal(served, AdminRouteSamples.Routes.Select(r => r.Method + " " + r.Template).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task OpenApi_EveryReferenceResolves()
    {
        await using AdminTestGateway admin = await AdminTestGateway.StartAsync();
        string text = System.Text.Encoding.UTF8.GetString(OpenApiDocument.Bytes);
        JsonElement schemas = JsonDocument.Parse(text).RootElement.GetProperty("components").GetProperty("schemas");

        foreach (System.Text.RegularExpressions.Match reference in System.Text.RegularExpressions.Regex.Matches(text, "#/components/schemas/([A-Za-z]+)"))
        {
            Assert.True(schemas.TryGetProperty(reference.Groups[1].Value, out _), reference.Value);
        }
    }

    [Fact]
    public async Task AdminRoutes_AreNotInMethodsDocument()
    {
        await using AdminTestGateway admin = await AdminTestGateway.StartAsync();

        string methods = await admin.Gateway.Client.GetStringAsync(admin.Gateway.PathPrefix + "/methods");

        Assert.DoesNotContain("/admin", methods, StringComparison.Ordinal);
        Assert.Contains("/limited", methods, StringComparison.Ordinal);
    }
}
