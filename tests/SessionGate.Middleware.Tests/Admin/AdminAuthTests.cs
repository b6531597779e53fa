using System.Net;
using SessionGate.AspNetCore.Admin;

namespace SessionGate.Middleware.Tests.Admin;

/// <summary>The admin credential: 401 for missing, malformed or wrong credentials on every path; 404 when the API is off.</summary>
public sealed class AdminAuthTests
{
    /// <summary>Every route of the table with sample parameters, plus unknown paths and the root.</summary>
    public static IEnumerable<(string Method, string Path)> AllPaths() =>
        AdminRouteSamples.Routes.Select(r => (r.Method, AdminRouteSamples.Fill(r.Template)))
            .Concat([("GET", ""), ("GET", "/"), ("GET", "/nothing-here"), ("DELETE", "/keys"), ("PATCH", "/usage"), ("GET", "/keys/../usage")]);

    public static string[] BadCredentials() =>
    [
        "",                                           // missing
        "Bearer",                                     // no token
        "Bearer ",                                    // empty token
        "Basic " + AdminTestGateway.ApiKey,           // other scheme
        AdminTestGateway.ApiKey,                      // no scheme
        "Bearer " + AdminTestGateway.ApiKey + "x",    // longer
        "Bearer " + AdminTestGateway.ApiKey[..^1],    // shorter
        "Bearer " + AdminTestGateway.ApiKey.ToUpperInvariant(),
        "Bearer " + new string('a', 5000),            // huge
        "Bearer:" + AdminTestGateway.ApiKey,          // malformed separator
    ];

    [Fact]
    public async Task AnyPath_WrongOrMissingCredential_Returns401()
    {
        // Hundreds of failures from one address: back-off and blocking off here (AdminThrottleTests covers them).
        await using AdminTestGateway admin = await AdminTestGateway.StartAsync(new()
        {
            ["SessionGate:Admin:FailuresPerMinute"] = "100000",
            ["SessionGate:ClientBlocking:Enabled"] = "false",
        });
        foreach ((string method, string path) in AllPaths())
        {
            foreach (string credential in BadCredentials())
            {
                using HttpResponseMessage response = await admin.SendAsync(method, path, json: method is "POST" or "PUT" ? "{}" : null, authorization: credential);
                Assert.True(response.StatusCode == HttpStatusCode.Unauthorized, $"{method} {path} with '{credential}': {(int)response.StatusCode}");
                await ProblemAssert.IsProblemAsync(response, 401, "admin_unauthorized");
                Assert.Equal("Bearer realm=\"sessiongate-admin\"", response.Headers.WwwAuthenticate.ToString());
            }
        }
    }

    [Fact]
    public async Task Credential_SchemeInAnyCase_IsAccepted()
    {
        await using AdminTestGateway admin = await AdminTestGateway.StartAsync();

        using HttpResponseMessage response = await admin.SendAsync("GET", "/blocked", authorization: "bearer " + AdminTestGateway.ApiKey);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Credential_TwoAuthorizationHeaders_Returns401()
    {
        await using AdminTestGateway admin = await AdminTestGateway.StartAsync();
        using var request = new HttpRequestMessage(HttpMethod.Get, admin.Admin + "/blocked");
        request.Headers.TryAddWithoutValidation("Authorization", ["Bearer " + AdminTestGateway.ApiKey, "Bearer " + AdminTestGateway.ApiKey]);

        using HttpResponseMessage response = await admin.Gateway.Client.SendAsync(request);

        await ProblemAssert.IsProblemAsync(response, 401, "admin_unauthorized");
    }

    [Fact]
    public async Task AnyPath_ApiKeyNotConfigured_Returns404()
    {
        await using TestGateway gateway = await TestGateway.StartAsync();
        foreach (((string method, string path), string? credential) in AllPaths().SelectMany(p => new[] { (p, (string?)null), (p, "Bearer " + AdminTestGateway.ApiKey) }))
        {
            using var request = new HttpRequestMessage(new HttpMethod(method), gateway.PathPrefix + "/admin" + path);
            if (credential is not null)
            {
                request.Headers.TryAddWithoutValidation("Authorization", credential);
            }

            using HttpResponseMessage response = await gateway.Client.SendAsync(request);
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        }
    }

    [Fact]
    public async Task AdminLikePaths_OutsideAdmin_AreNotAdmin()
    {
        await using AdminTestGateway admin = await AdminTestGateway.StartAsync();

        // "/administrator" is not under "/admin/": the gateway's endpoints answer 404 as for any unknown path.
        using HttpResponseMessage response = await admin.Gateway.Client.GetAsync(admin.Gateway.PathPrefix + "/administrator");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public void Matches_RightKeyWithBearerInAnyCase_AnythingElseFalse()
    {
        var credential = new AdminCredential(AdminTestGateway.ApiKey);

        Assert.True(credential.Matches("Bearer " + AdminTestGateway.ApiKey));
        Assert.True(credential.Matches("BEARER  " + AdminTestGateway.ApiKey + " "));
        Assert.False(credential.Matches(default(Microsoft.Extensions.Primitives.StringValues)));
        Assert.False(credential.Matches("Bearer " + AdminTestGateway.ApiKey[1..]));
    }
}

/// <summary>The route table with sample values, shared by the tests that walk every route.</summary>
internal static class AdminRouteSamples
{
    public static readonly (string Method, string Template)[] Routes =
    [
        ("POST", "/admin/keys"),
        ("GET", "/admin/keys/{publicKey}"),
        ("POST", "/admin/keys/{publicKey}/disable"),
        ("GET", "/admin/keys/{publicKey}/disabled"),
        ("POST", "/admin/keys/{publicKey}/validate"),
        ("GET", "/admin/accounts/{account}"),
        ("GET", "/admin/accounts/{account}/keys"),
        ("PUT", "/admin/accounts/{account}/tier"),
        ("DELETE", "/admin/accounts/{account}/tier"),
        ("GET", "/admin/accounts/{account}/history"),
        ("GET", "/admin/accounts/{account}/history.csv"),
        ("GET", "/admin/usage"),
        ("GET", "/admin/usage/history"),
        ("GET", "/admin/blocked"),
        ("DELETE", "/admin/blocked/{client}"),
        ("GET", "/admin/openapi.json"),
    ];

    /// <summary>The template with sample parameters, relative to /admin.</summary>
    public static string Fill(string template) => template["/admin".Length..]
        .Replace("{publicKey}", AdminTestGateway.PublicKeyHex(7), StringComparison.Ordinal)
        .Replace("{account}", TestGateway.AccountFor(1), StringComparison.Ordinal)
        .Replace("{client}", "203.0.113.7", StringComparison.Ordinal);
}
