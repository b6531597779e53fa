using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using SessionGate.Grants;

namespace SessionGate.Proxy.Tests.Commands;

/// <summary>
/// Just enough of a gateway for <c>sessiongate grant</c>, on real Kestrel: <c>{prefix}/block</c> with
/// a <c>chain_id</c>, and <c>{prefix}/grants</c> and <c>/grants/revoke</c>, which check the body with
/// the gateway's own <see cref="GrantVerifier"/> (domain = this server's host:port) and answer 201 /
/// 200 with the key, or the problem the gateway would send. Received bodies are kept.
/// </summary>
internal sealed class GrantGatewayServer : IAsyncDisposable
{
    public const string ChainId = "localnet-1";

    private readonly WebApplication _app;

    private GrantGatewayServer(WebApplication app) => _app = app;

    public string Url => _app.Urls.Single();

    public string Domain => new Uri(Url).Authority;

    public ConcurrentQueue<(string Path, string Body)> Received { get; } = new();

    /// <param name="domain">The domain the verifier expects (default: this server's host:port).</param>
    public static async Task<GrantGatewayServer> StartAsync(string? domain = null)
    {
        WebApplicationBuilder builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        WebApplication app = builder.Build();
        var server = new GrantGatewayServer(app);
        app.MapGet("/_sessiongate/block", () => Results.Json(new { height = 7, hash = new string('A', 64), time = "2030-01-01T00:00:00Z", chain_id = ChainId }));
        app.MapPost("/_sessiongate/grants", (Delegate)((HttpContext c) => server.HandleAsync(c, GrantMessageKind.Grant, domain)));
        app.MapPost("/_sessiongate/grants/revoke", (Delegate)((HttpContext c) => server.HandleAsync(c, GrantMessageKind.Revoke, domain)));
        await app.StartAsync();
        return server;
    }

    private async Task<IResult> HandleAsync(HttpContext context, GrantMessageKind kind, string? domain)
    {
        using var reader = new StreamReader(context.Request.Body);
        string body = await reader.ReadToEndAsync();
        Received.Enqueue((context.Request.Path.Value!, body));
        using JsonDocument document = JsonDocument.Parse(body);
        JsonElement signature = document.RootElement.GetProperty("signature");
        if (signature.GetProperty("pub_key").GetProperty("type").GetString() != Adr036Signer.PublicKeyType)
        {
            return Problem(400, "grant_malformed");
        }

        var verifier = new GrantVerifier(new GrantPolicy { Domain = domain ?? Domain }, TimeProvider.System);
        GrantVerification verification = verifier.Verify(
            kind,
            document.RootElement.GetProperty("message").GetString()!,
            Convert.FromBase64String(signature.GetProperty("pub_key").GetProperty("value").GetString()!),
            Convert.FromBase64String(signature.GetProperty("signature").GetString()!),
            ChainId);
        if (verification.Error != GrantError.None)
        {
            GrantErrorDescription description = GrantErrors.Describe(verification.Error);
            return Problem(description.Status, description.Code, verification.Detail);
        }

        GrantMessage message = verification.Message!;
        return Results.Json(
            new { public_key = message.SessionKey.ToHex(), account = message.Account, use_case = message.UseCase, state = kind == GrantMessageKind.Grant ? "active" : "disabled" },
            statusCode: kind == GrantMessageKind.Grant ? 201 : 200);
    }

    private static IResult Problem(int status, string code, string? detail = null) =>
        Results.Problem(statusCode: status, detail: detail, extensions: new Dictionary<string, object?> { ["code"] = code });

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
