using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SessionGate.Storage;
using SessionGate.AspNetCore.Authentication;
using SessionGate.AspNetCore.Configuration;
using SessionGate.Storage.Redis;
using SessionGate.Usage;

namespace SessionGate.AspNetCore.Admin;

/// <summary>
/// The admin API under <c>{PathPrefix}/admin</c> (docs/admin-api.md). Runs inside the PathPrefix
/// branch, so admin requests never reach session authentication or rate limiting. Without
/// <c>SessionGate:Admin:ApiKey</c> it passes every request on (404, as if the path did not exist).
/// Order of checks: credential (401 for every path, known or not), route (404/405), body (415/413/400).
/// </summary>
internal sealed class AdminApiMiddleware
{
    private const string Root = "/admin";

    private readonly RequestDelegate _next;
    private readonly AdminCredential? _credential;
    private readonly AdminRouter? _router;
    private readonly ILogger _logger;

    public AdminApiMiddleware(RequestDelegate next, IOptions<SessionGateOptions> options, IServiceProvider services, ILogger<AdminApiMiddleware> logger)
    {
        _next = next;
        _logger = logger;
        SessionGateOptions settings = options.Value;
        if (settings.Admin.ApiKey is not { } apiKey)
        {
            return;
        }

        _credential = new AdminCredential(apiKey);
        _router = AdminRoutes.Create(AdminServices.From(services), logger);
    }

    public Task InvokeAsync(HttpContext context)
    {
        string path = context.Request.Path.Value ?? "";
        bool isAdmin = path.StartsWith(Root, StringComparison.Ordinal) && (path.Length == Root.Length || path[Root.Length] == '/');
        if (!isAdmin || _credential is null || _router is null)
        {
            return _next(context);
        }

        return HandleAsync(context, path, _credential, _router);
    }

    private async Task HandleAsync(HttpContext context, string path, AdminCredential credential, AdminRouter router)
    {
        try
        {
            if (!credential.Matches(context.Request.Headers.Authorization))
            {
                Log.Unauthorized(_logger, ClientAddresses.Of(context), path);
                throw new AdminProblemException(401, AdminProblemCodes.Unauthorized, "Send Authorization: Bearer <SessionGate:Admin:ApiKey>.");
            }

            AdminRoute? route = router.Match(path, context.Request.Method, out string[] values, out IReadOnlyList<string> allowed);
            if (route is null)
            {
                if (allowed.Count == 0)
                {
                    throw new AdminProblemException(404, AdminProblemCodes.NotFound, "No admin endpoint has this path; see " + Root + "/openapi.json.");
                }

                context.Response.Headers.Allow = string.Join(", ", allowed);
                throw new AdminProblemException(405, AdminProblemCodes.MethodNotAllowed, "This path accepts " + string.Join(", ", allowed) + ".");
            }

            await route.Handler(context, values).ConfigureAwait(false);
        }
        catch (AdminProblemException problem) when (!context.Response.HasStarted)
        {
            await AdminResponses.WriteProblemAsync(context, problem).ConfigureAwait(false);
        }
        catch (Exception e) when (!context.Response.HasStarted && IsStoreFailure(e))
        {
            Log.StoreUnavailable(_logger, e, path);
            await AdminResponses.WriteProblemAsync(context, AdminProblemException.StoreUnavailable()).ConfigureAwait(false);
        }
    }

    // Besides timeouts and lost connections, Redis may refuse a command outright (e.g. OOM when the
    // repository's redis.conf "noeviction" limit is reached): the command was refused, so 503, not 500.
    private static bool IsStoreFailure(Exception e) =>
        e is StoreUnavailableException or StackExchange.Redis.RedisException;
}
