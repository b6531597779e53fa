using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;
using SessionGate.Chain;
using SessionGate.AspNetCore.Configuration;
using SessionGate.AspNetCore.EmbeddedFiles;

namespace SessionGate.AspNetCore.DemoPage;

/// <summary>
/// The browser demo under <c>PathPrefix</c>: <c>GET /demo</c> (a page with the <c>&lt;session-key&gt;</c>
/// widget that creates a session key in the browser, has the wallet grant it (Connect wallet) and calls
/// the API through the gateway) and its files under <c>/demo/</c>. Served only with the dev chain
/// (<c>SessionGate:Chain:Mode</c> = Dev): a production gateway answers 404, as for any unknown path.
/// </summary>
internal sealed class DemoPageMiddleware
{
    // No inline script or style: the page loads its module and stylesheet from this origin and calls
    // only this origin.
    private const string ContentSecurityPolicy =
        "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self'; " +
        "base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

    private readonly RequestDelegate _next;
    private readonly bool _enabled;
    private readonly AdminOptions _admin;

    public DemoPageMiddleware(RequestDelegate next, IOptions<SessionGateOptions> options)
    {
        _next = next;
        _admin = options.Value.Admin;
        _enabled = options.Value.Chain.Mode == ChainMode.Dev;
        if (_enabled)
        {
            // Read the files while the pipeline is built: a packaging error stops the start, not a request.
            _ = DemoPageFiles.ByPath;
        }
    }

    public Task InvokeAsync(HttpContext context) =>
        _enabled && context.Request.Path.Value is { } path && DemoPageFiles.ByPath.TryGetValue(path, out EmbeddedFile? file) && AdminListener.Serves(context, _admin)
            ? EmbeddedFileResponse.WriteAsync(context, file, ContentSecurityPolicy)
            : _next(context);
}
