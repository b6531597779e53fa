using System.Net;
using System.Text.Json;

namespace SessionGate.IntegrationTests.Proxy;

internal static class ProblemAssert
{
    /// <summary>Asserts an RFC 9457 problem response with this status and code.</summary>
    public static async Task IsProblemAsync(HttpResponseMessage response, HttpStatusCode status, string code)
    {
        string body = await response.Content.ReadAsStringAsync();
        Assert.True(status == response.StatusCode, $"Expected {(int)status}, got {(int)response.StatusCode}: {body}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        using JsonDocument problem = JsonDocument.Parse(body);
        Assert.Equal(code, problem.RootElement.GetProperty("code").GetString());
        Assert.Equal((int)status, problem.RootElement.GetProperty("status").GetInt32());
        Assert.Equal("urn:sessiongate:problem:" + code, problem.RootElement.GetProperty("type").GetString());
    }
}
