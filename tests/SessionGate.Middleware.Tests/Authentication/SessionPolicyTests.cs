using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using SessionGate.Crypto;
using SessionGate.Protocol;
using SessionGate.RateLimiting;
using SessionGate.AspNetCore.RateLimiting;

namespace SessionGate.Middleware.Tests.Authentication;

/// <summary>
/// SessionGate as ASP.NET Core authentication and authorization: the SessionGate.Session policy on
/// its own (no UseSessionGate), through .RequireAuthorization and [Authorize], answers the same
/// documented problems as the middleware, and the principal carries account, key and tier.
/// </summary>
public sealed class SessionPolicyTests : IAsyncLifetime
{
    private readonly Sr25519KeyPair _key = Sr25519KeyPair.FromMiniSecret(Convert.FromHexString(TestGateway.Seed[2..]));
    private readonly string _account = TestGateway.AccountFor(1);
    private readonly Sr25519KeyPair _scopedKey = Sr25519KeyPair.FromMiniSecret(new byte[32]);
    private readonly string _scopedAccount = TestGateway.AccountFor(2);
    private WebApplication _app = null!;
    private HttpClient _client = null!;

    public async Task InitializeAsync()
    {
        WebApplicationBuilder builder = WebApplication.CreateBuilder();
        builder.WebHost.UseTestServer();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["SessionGate:Keys:0:PublicKey"] = HexCodec.Encode(_key.PublicKey),
            ["SessionGate:Keys:0:Account"] = _account,
            ["SessionGate:Keys:0:Expires"] = "2099-01-01T00:00:00Z",
            ["SessionGate:Keys:1:PublicKey"] = HexCodec.Encode(_scopedKey.PublicKey),
            ["SessionGate:Keys:1:Account"] = _scopedAccount,
            ["SessionGate:Keys:1:Expires"] = "2099-01-01T00:00:00Z",
            ["SessionGate:Keys:1:Scopes:0:Path"] = "/scoped",
            ["SessionGate:Chain:Dev:BlockInterval"] = "00:00:01",
        });
        builder.Services.AddSessionGate();
        _app = builder.Build();
        _app.UseAuthorization();
        _app.MapGet("/policy", (HttpContext c) => Identity(c)).RequireAuthorization(SessionGatePolicyNames.Session);
        _app.MapGet("/attribute", [Authorize(Policy = SessionGatePolicyNames.Session)] (HttpContext c) => Identity(c));
        _app.MapGet("/scoped/ok", (HttpContext c) => Identity(c)).RequireAuthorization(SessionGatePolicyNames.Session);
        _app.MapGet("/block", (Chain.IBlockFeed feed) => feed.Latest is { } b ? Results.Ok(b.Hash.ToUpperHex()) : Results.NotFound());
        await _app.StartAsync();
        _client = _app.GetTestClient();
    }

    public async Task DisposeAsync()
    {
        _key.Dispose();
        _scopedKey.Dispose();
        await _app.DisposeAsync();
    }

    [Theory]
    [InlineData("/policy")]
    [InlineData("/attribute")]
    public async Task NoHeader_SessionRequired(string path)
    {
        using HttpResponseMessage response = await _client.GetAsync(path);

        await ProblemAssert.IsProblemAsync(response, 401, "session_required");
        Assert.Equal("KiraSession", response.Headers.WwwAuthenticate.ToString());
    }

    [Theory]
    [InlineData("/policy")]
    [InlineData("/attribute")]
    public async Task ValidHeader_PrincipalHasAccountKeyAndTier(string path)
    {
        using HttpResponseMessage response = await SendAsync(path, await HeaderAsync());

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        JsonElement identity = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(_account, identity.GetProperty("account").GetString());
        Assert.Equal(HexCodec.Encode(_key.PublicKey), identity.GetProperty("session_key").GetString());
        Assert.Equal("free", identity.GetProperty("tier").GetString());
        Assert.Equal(SessionGate.AspNetCore.Authentication.SessionClaimTypes.AuthenticationType, identity.GetProperty("authentication_type").GetString());
    }

    [Fact]
    public async Task BadSignature_TheHeadersOwnRefusal()
    {
        string header = await HeaderAsync();
        string tampered = header.Replace("\"nonce\":0", "\"nonce\":1", StringComparison.Ordinal);
        Assert.NotEqual(header, tampered);

        using HttpResponseMessage response = await SendAsync("/policy", tampered);

        await ProblemAssert.IsProblemAsync(response, 401, "signature_invalid");
    }

    [Fact]
    public async Task OutsideTheKeysScopes_ScopeDenied()
    {
        string header = await HeaderAsync(_scopedKey, _scopedAccount);
        using HttpResponseMessage denied = await SendAsync("/policy", header);
        using HttpResponseMessage allowed = await SendAsync("/scoped/ok", header);

        await ProblemAssert.IsProblemAsync(denied, 403, "scope_denied");
        Assert.Equal(HttpStatusCode.OK, allowed.StatusCode);
    }

    private Task<string> HeaderAsync() => HeaderAsync(_key, _account);

    private async Task<string> HeaderAsync(Sr25519KeyPair key, string account)
    {
        for (int i = 0; i < 100; i++)
        {
            using HttpResponseMessage block = await _client.GetAsync("/block");
            if (block.IsSuccessStatusCode)
            {
                return KiraSessionHeader.Create(key, account, await block.Content.ReadFromJsonAsync<string>() ?? "", 0);
            }

            await Task.Delay(50);
        }

        throw new TimeoutException("The dev chain produced no block.");
    }

    private async Task<HttpResponseMessage> SendAsync(string path, string header)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.TryAddWithoutValidation("kira_session", header);
        return await _client.SendAsync(request);
    }

    private static IResult Identity(HttpContext context) => Results.Json(new
    {
        account = context.User.FindFirst("account")?.Value,
        session_key = context.User.FindFirst("session_key")?.Value,
        tier = context.User.FindFirst("tier")?.Value,
        authentication_type = context.User.Identity?.AuthenticationType,
    });
}
