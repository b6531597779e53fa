using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;
using SessionGate.Configuration;

namespace SessionGate.Dashboard;

/// <summary>
/// Serves the quota dashboard at <c>{PathPrefix}/dashboard</c> and its files at
/// <c>{PathPrefix}/dashboard/…</c>, from this assembly's embedded resources. Only when the admin API is
/// on (<c>SessionGate:Admin:ApiKey</c>); otherwise the paths do not exist (404 like any unknown path).
/// The files hold no data and need no credential: the page asks for the admin key and sends it as a
/// bearer credential on every admin API call.
/// </summary>
internal sealed class DashboardMiddleware
{
    /// <summary>
    /// Only the page's own same-origin files and API calls; no inline script or style (the page has
    /// none), no framing (the Disable buttons must not be clickjacked), no form posts anywhere (the key
    /// form is handled by script and must never be submitted as a navigation).
    /// </summary>
    internal const string ContentSecurityPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; " +
        "object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

    private readonly RequestDelegate _next;
    private readonly bool _enabled;

    public DashboardMiddleware(RequestDelegate next, IOptions<SessionGateOptions> options)
    {
        _next = next;
        _enabled = options.Value.Admin.Enabled;
        if (_enabled)
        {
            // Read the files while the pipeline is built: a packaging error stops the start, not a request.
            _ = DashboardAssets.ByPath;
        }
    }

    public Task InvokeAsync(HttpContext context)
    {
        string? path = context.Request.Path.Value;
        if (!_enabled || path is null || !path.StartsWith(DashboardAssets.PagePath, StringComparison.Ordinal))
        {
            return _next(context);
        }

        if (path.Length == DashboardAssets.PagePath.Length + 1 && path[^1] == '/')
        {
            // "/dashboard/" would resolve the page's relative "dashboard/…" references one level too deep.
            return Respond(context, asset: null);
        }

        return DashboardAssets.ByPath.TryGetValue(path, out DashboardAsset? asset)
            ? Respond(context, asset)
            : _next(context);
    }

    /// <param name="context">The request.</param>
    /// <param name="asset">The file to serve; null to redirect to the page.</param>
    private static Task Respond(HttpContext context, DashboardAsset? asset)
    {
        HttpResponse response = context.Response;
        string method = context.Request.Method;
        if (!HttpMethods.IsGet(method) && !HttpMethods.IsHead(method))
        {
            response.Headers.Allow = "GET, HEAD";
            return DashboardProblem.WriteMethodNotAllowedAsync(context);
        }

        IHeaderDictionary headers = response.Headers;
        headers.ContentSecurityPolicy = ContentSecurityPolicy;
        headers.XContentTypeOptions = "nosniff";
        headers.XFrameOptions = "DENY";
        headers["Referrer-Policy"] = "no-referrer";
        if (asset is null)
        {
            response.StatusCode = StatusCodes.Status308PermanentRedirect;
            headers.Location = context.Request.PathBase.Add(DashboardAssets.PagePath).ToUriComponent();
            return Task.CompletedTask;
        }

        // Revalidate every time (the URLs are not versioned, so an upgraded gateway's files must be
        // picked up at once); the ETag makes that a 304 without a body.
        headers.CacheControl = "no-cache";
        headers.ETag = asset.ETag;
        if (Matches(context.Request, asset.ETag))
        {
            response.StatusCode = StatusCodes.Status304NotModified;
            return Task.CompletedTask;
        }

        response.ContentType = asset.ContentType;
        response.ContentLength = asset.Content.Length;
        return HttpMethods.IsHead(method) ? Task.CompletedTask : response.Body.WriteAsync(asset.Content).AsTask();
    }

    /// <summary>If-None-Match with the weak comparison RFC 9110 §13.1.2 asks for; unparsable values match nothing.</summary>
    private static bool Matches(HttpRequest request, string etag)
    {
        IList<EntityTagHeaderValue> candidates = request.GetTypedHeaders().IfNoneMatch;
        if (candidates.Count == 0)
        {
            return false;
        }

        var current = new EntityTagHeaderValue(etag);
        return candidates.Any(candidate => candidate.Equals(EntityTagHeaderValue.Any) || candidate.Compare(current, useStrongComparison: false));
    }
}
