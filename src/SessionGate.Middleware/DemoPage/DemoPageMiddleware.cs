using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;
using SessionGate.Chain;
using SessionGate.Configuration;

namespace SessionGate.DemoPage;

/// <summary>
/// The browser demo under <c>PathPrefix</c>: <c>GET /demo</c> (a page with the <c>&lt;session-key&gt;</c>
/// widget that creates a session key in the browser, registers it through the admin API and calls
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

    public DemoPageMiddleware(RequestDelegate next, IOptions<SessionGateOptions> options)
    {
        _next = next;
        _enabled = options.Value.Chain.Mode == ChainMode.Dev;
    }

    public Task InvokeAsync(HttpContext context)
    {
        DemoAsset? asset = _enabled ? Find(context.Request.Path) : null;
        if (asset is null)
        {
            return _next(context);
        }

        if (!HttpMethods.IsGet(context.Request.Method) && !HttpMethods.IsHead(context.Request.Method))
        {
            context.Response.StatusCode = StatusCodes.Status405MethodNotAllowed;
            context.Response.Headers.Allow = "GET, HEAD";
            return Task.CompletedTask;
        }

        HttpResponse response = context.Response;
        response.ContentType = asset.ContentType;
        response.ContentLength = asset.Content.Length;
        response.Headers.ContentSecurityPolicy = ContentSecurityPolicy;
        response.Headers.XContentTypeOptions = "nosniff";
        response.Headers["Referrer-Policy"] = "no-referrer";
        response.Headers.CacheControl = "no-cache";
        return HttpMethods.IsHead(context.Request.Method) ? Task.CompletedTask : response.Body.WriteAsync(asset.Content).AsTask();
    }

    private static DemoAsset? Find(PathString path)
    {
        const string page = "/demo";
        string? value = path.Value;
        if (value is null || !value.StartsWith(page, StringComparison.Ordinal))
        {
            return null;
        }

        if (value.Length == page.Length)
        {
            return DemoAsset.Page;
        }

        return value[page.Length] == '/' && DemoAsset.Files.TryGetValue(value[(page.Length + 1)..], out DemoAsset? file) ? file : null;
    }
}
