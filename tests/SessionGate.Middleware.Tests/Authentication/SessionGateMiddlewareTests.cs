using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using SessionGate.Crypto;

namespace SessionGate.Middleware.Tests.Authentication;

public sealed class SessionGateMiddlewareTests : IAsyncLifetime
{
    private TestGateway _gateway = null!;

    public async Task InitializeAsync() => _gateway = await TestGateway.StartAsync();

    public async Task DisposeAsync() => await _gateway.DisposeAsync();

    [Fact]
    public async Task Invoke_NoHeaderOnOpenRoute_PassesAsAnonymous()
    {
        using HttpResponseMessage response = await _gateway.SendAsync("/open", header: null);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        JsonElement body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.False(body.GetProperty("authenticated").GetBoolean());
    }

    [Fact]
    public async Task Invoke_NoHeaderOnRequiredRoute_Returns401SessionRequired()
    {
        using HttpResponseMessage response = await _gateway.SendAsync("/private", header: null);
        await ProblemAssert.IsProblemAsync(response, 401, "session_required");
        Assert.Equal("KiraSession", response.Headers.WwwAuthenticate.ToString());
    }

    [Theory]
    [InlineData("kira_session")]
    [InlineData("kira-session")]
    public async Task Invoke_ValidHeader_SetsUserClaims(string headerName)
    {
        using HttpResponseMessage response = await _gateway.SendAsync("/private", await _gateway.HeaderAsync(), headerName: headerName);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        JsonElement body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(body.GetProperty("authenticated").GetBoolean());
        Assert.Equal(_gateway.Account, body.GetProperty("account").GetString());
        Assert.Equal(Protocol.HexCodec.Encode(_gateway.Key.PublicKey), body.GetProperty("session_key").GetString());
    }

    [Fact]
    public async Task Invoke_ValidHeaderOnOpenRoute_AuthenticatesToo()
    {
        using HttpResponseMessage response = await _gateway.SendAsync("/open", await _gateway.HeaderAsync());
        JsonElement body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(body.GetProperty("authenticated").GetBoolean());
    }

    [Fact]
    public async Task Invoke_MalformedHeader_Returns400EvenOnOpenRoutes()
    {
        using HttpResponseMessage response = await _gateway.SendAsync("/open", "{not json");
        JsonElement problem = await ProblemAssert.IsProblemAsync(response, 400, "session_malformed");
        Assert.Equal("/open", problem.GetProperty("instance").GetString());
        Assert.DoesNotContain("not json", problem.GetRawText(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Invoke_TwoHeaders_Returns400()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/private");
        string header = await _gateway.HeaderAsync();
        request.Headers.TryAddWithoutValidation("kira_session", header);
        request.Headers.TryAddWithoutValidation("kira-session", header);
        using HttpResponseMessage response = await _gateway.Client.SendAsync(request);
        await ProblemAssert.IsProblemAsync(response, 400, "session_malformed");
    }

    [Fact]
    public async Task Invoke_TamperedSignature_Returns401SignatureInvalid()
    {
        string header = (await _gateway.HeaderAsync()).Replace("\"nonce\":0", "\"nonce\":1", StringComparison.Ordinal);
        await ProblemAssert.IsProblemAsync(await _gateway.SendAsync("/private", header), 401, "signature_invalid");
    }

    [Fact]
    public async Task Invoke_UnknownBlock_Returns401BlockUnknown()
    {
        string header = Protocol.KiraSessionHeader.Create(_gateway.Key, _gateway.Account, new string('A', 64));
        await ProblemAssert.IsProblemAsync(await _gateway.SendAsync("/private", header), 401, "block_unknown");
    }

    [Fact]
    public async Task Invoke_UnregisteredKey_Returns401KeyUnknown()
    {
        using Sr25519KeyPair other = Sr25519KeyPair.Generate();
        await ProblemAssert.IsProblemAsync(await _gateway.SendAsync("/private", await _gateway.HeaderAsync(other)), 401, "key_unknown");
    }

    [Fact]
    public async Task Invoke_KeyOfAnotherAccount_Returns401KeyAccountMismatch()
    {
        string header = await _gateway.HeaderAsync(account: TestGateway.AccountFor(2));
        await ProblemAssert.IsProblemAsync(await _gateway.SendAsync("/private", header), 401, "key_account_mismatch");
    }

    [Fact]
    public async Task Invoke_BypassedRoute_IgnoresEvenAMalformedHeader()
    {
        using HttpResponseMessage response = await _gateway.SendAsync("/bypass", "{not json");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Invoke_DisabledRoute_Returns403RouteDisabled() =>
        await ProblemAssert.IsProblemAsync(await _gateway.SendAsync("/off", header: null), 403, "route_disabled");

    [Fact]
    public async Task GatewayEndpoints_BlockAndVersion_AnswerJson()
    {
        using JsonDocument block = JsonDocument.Parse(await _gateway.Client.GetStringAsync("/_sessiongate/block"));
        Assert.True(block.RootElement.GetProperty("height").GetInt64() >= 1);
        Assert.Matches("^[0-9A-F]{64}$", block.RootElement.GetProperty("hash").GetString());
        Assert.True(DateTimeOffset.TryParse(block.RootElement.GetProperty("time").GetString(), out _));

        using JsonDocument version = JsonDocument.Parse(await _gateway.Client.GetStringAsync("/_sessiongate/version"));
        Assert.Equal("sessiongate", version.RootElement.GetProperty("name").GetString());
        Assert.StartsWith("v", version.RootElement.GetProperty("version").GetString(), StringComparison.Ordinal);

        using HttpResponseMessage post = await _gateway.Client.PostAsync("/_sessiongate/block", null);
        Assert.Equal(HttpStatusCode.MethodNotAllowed, post.StatusCode);
    }
}
