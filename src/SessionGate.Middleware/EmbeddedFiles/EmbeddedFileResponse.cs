using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;
using SessionGate.AspNetCore.Authentication;

namespace SessionGate.AspNetCore.EmbeddedFiles;

/// <summary>
/// How the gateway's own pages and their files are answered: GET and HEAD only (405 problem
/// otherwise), a page-specific Content-Security-Policy plus headers that forbid sniffing, framing
/// and referrers, and revalidation on every load (the URLs are not versioned, so an upgraded gateway's
/// files are picked up at once) that the ETag turns into a 304 without a body.
/// </summary>
internal static class EmbeddedFileResponse
{
    private const string MethodNotAllowed = "method_not_allowed";

    /// <summary>Answers a request for <paramref name="file"/>.</summary>
    public static Task WriteAsync(HttpContext context, EmbeddedFile file, string contentSecurityPolicy)
    {
        if (!IsGetOrHead(context))
        {
            return WriteMethodNotAllowedAsync(context);
        }

        HttpResponse response = context.Response;
        ApplySecurityHeaders(response, contentSecurityPolicy);
        response.Headers.CacheControl = "no-cache";
        response.Headers.ETag = file.ETag;
        if (Matches(context.Request, file.ETag))
        {
            response.StatusCode = StatusCodes.Status304NotModified;
            return Task.CompletedTask;
        }

        response.ContentType = file.ContentType;
        response.ContentLength = file.Content.Length;
        return HttpMethods.IsHead(context.Request.Method) ? Task.CompletedTask : response.Body.WriteAsync(file.Content).AsTask();
    }

    /// <summary>True for GET and HEAD, the only methods the pages answer.</summary>
    public static bool IsGetOrHead(HttpContext context) =>
        HttpMethods.IsGet(context.Request.Method) || HttpMethods.IsHead(context.Request.Method);

    /// <summary>The headers every page and file carries.</summary>
    public static void ApplySecurityHeaders(HttpResponse response, string contentSecurityPolicy)
    {
        IHeaderDictionary headers = response.Headers;
        headers.ContentSecurityPolicy = contentSecurityPolicy;
        headers.XContentTypeOptions = "nosniff";
        headers.XFrameOptions = "DENY";
        headers["Referrer-Policy"] = "no-referrer";
    }

    /// <summary>405 with <c>Allow: GET, HEAD</c>, as the RFC 9457 problem the admin API uses for it.</summary>
    public static Task WriteMethodNotAllowedAsync(HttpContext context)
    {
        context.Response.Headers.Allow = "GET, HEAD";
        return ProblemResponses.WriteAsync(
            context,
            StatusCodes.Status405MethodNotAllowed,
            MethodNotAllowed,
            "The method is not allowed.",
            "This page and its files answer GET and HEAD only.",
            context.Request.PathBase.Add(context.Request.Path).Value);
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
