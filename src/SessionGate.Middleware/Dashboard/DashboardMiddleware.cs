using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;
using SessionGate.AspNetCore.Configuration;
using SessionGate.AspNetCore.EmbeddedFiles;

namespace SessionGate.AspNetCore.Dashboard;

/// <summary>
/// Serves the quota dashboard at <c>{PathPrefix}/dashboard</c> and its files at
/// <c>{PathPrefix}/dashboard/…</c>, from this assembly's embedded resources. Only when the admin API is
/// on (<c>SessionGate:Admin:ApiKey</c>) and only on the admin listeners (<c>SessionGate:Admin:Urls</c>);
/// otherwise the paths do not exist (404 like any unknown path).
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
    private readonly AdminOptions _admin;

    public DashboardMiddleware(RequestDelegate next, IOptions<SessionGateOptions> options)
    {
        _next = next;
        _admin = options.Value.Admin;
        _enabled = _admin.Enabled;
        if (_enabled)
        {
            // Read the files while the pipeline is built: a packaging error stops the start, not a request.
            _ = DashboardAssets.ByPath;
        }
    }

    public Task InvokeAsync(HttpContext context)
    {
        string? path = context.Request.Path.Value;
        if (!_enabled || path is null || !path.StartsWith(DashboardAssets.PagePath, StringComparison.Ordinal) || !AdminListener.Serves(context, _admin))
        {
            return _next(context);
        }

        if (path.Length == DashboardAssets.PagePath.Length + 1 && path[^1] == '/')
        {
            // "/dashboard/" would resolve the page's relative "dashboard/…" references one level too deep.
            return RedirectToPageAsync(context);
        }

        return DashboardAssets.ByPath.TryGetValue(path, out EmbeddedFile? file)
            ? EmbeddedFileResponse.WriteAsync(context, file, ContentSecurityPolicy)
            : _next(context);
    }

    private static Task RedirectToPageAsync(HttpContext context)
    {
        if (!EmbeddedFileResponse.IsGetOrHead(context))
        {
            return EmbeddedFileResponse.WriteMethodNotAllowedAsync(context);
        }

        EmbeddedFileResponse.ApplySecurityHeaders(context.Response, ContentSecurityPolicy);
        context.Response.StatusCode = StatusCodes.Status308PermanentRedirect;
        context.Response.Headers.Location = context.Request.PathBase.Add(DashboardAssets.PagePath).ToUriComponent();
        return Task.CompletedTask;
    }
}
