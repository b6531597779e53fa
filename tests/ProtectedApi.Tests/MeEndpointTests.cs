using System.Net;
using System.Text.Json;
using SessionGate.Crypto;

namespace ProtectedApi.Tests;

public sealed class MeEndpointTests : IClassFixture<ProtectedApiFactory>
{
    private readonly ProtectedApiFactory _factory;

    public MeEndpointTests(ProtectedApiFactory factory) => _factory = factory;

    [Fact]
    public async Task Me_WithoutSessionHeader_Returns401SessionRequired()
    {
        using HttpClient client = _factory.CreateClient();

        using HttpResponseMessage response = await client.GetAsync(new Uri("/me", UriKind.Relative));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("session_required", await CodeAsync(response));
    }

    [Fact]
    public async Task Me_SignedByRegisteredKey_ReturnsAccountAndSessionKey()
    {
        using Sr25519KeyPair key = Sr25519KeyPair.FromMiniSecret(ProtectedApiFactory.Seed);
        using HttpClient client = await _factory.CreateSignedClientAsync(key, ProtectedApiFactory.Account);

        using HttpResponseMessage response = await client.GetAsync(new Uri("/me", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using JsonDocument me = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal(ProtectedApiFactory.Account, me.RootElement.GetProperty("account").GetString());
        Assert.Equal(ProtectedApiFactory.PublicKeyHex, me.RootElement.GetProperty("session_key").GetString());
        Assert.Equal("free", me.RootElement.GetProperty("tier").GetString());
        Assert.True(me.RootElement.GetProperty("remaining").GetInt64() >= 0);
        Assert.Contains("\"free\";q=20;w=20", response.Headers.GetValues("RateLimit-Policy"));
    }

    [Fact]
    public async Task Me_SignedByUnregisteredKey_Returns401KeyUnknown()
    {
        using Sr25519KeyPair stranger = Sr25519KeyPair.FromMiniSecret(Enumerable.Repeat((byte)0x77, 32).ToArray());
        using HttpClient client = await _factory.CreateSignedClientAsync(stranger, ProtectedApiFactory.Account);

        using HttpResponseMessage response = await client.GetAsync(new Uri("/me", UriKind.Relative));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("key_unknown", await CodeAsync(response));
    }

    [Fact]
    public async Task Me_SignedForAnotherAccount_Returns401KeyAccountMismatch()
    {
        using Sr25519KeyPair key = Sr25519KeyPair.FromMiniSecret(ProtectedApiFactory.Seed);
        using HttpClient client = await _factory.CreateSignedClientAsync(key, "kira1qypqxpq9qcrsszg2pvxq6rs0zqg3yyc50dxs83");

        using HttpResponseMessage response = await client.GetAsync(new Uri("/me", UriKind.Relative));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("key_account_mismatch", await CodeAsync(response));
    }

    [Fact]
    public async Task Root_WithMalformedHeader_StillAnswersBecauseSessionGateIsDisabledThere()
    {
        using HttpClient client = _factory.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/");
        request.Headers.TryAddWithoutValidation("kira_session", "garbage");

        using HttpResponseMessage response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Me_SampleConfigurationKey_IsRegisteredFromAppSettings()
    {
        // The worked example of docs/protocol.md, registered by the sample's appsettings.json.
        using Sr25519KeyPair key = Sr25519KeyPair.FromMiniSecret(Convert.FromHexString("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60"));
        using HttpClient client = await _factory.CreateSignedClientAsync(key, "kira1qypqxpq9qcrsszg2pvxq6rs0zqg3yyc50dxs83");

        using HttpResponseMessage response = await client.GetAsync(new Uri("/me", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    private static async Task<string?> CodeAsync(HttpResponseMessage response)
    {
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        using JsonDocument problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return problem.RootElement.GetProperty("code").GetString();
    }
}
