using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SessionGate.Diagnostics;
using SessionGate.Storage;
using SessionGate.AspNetCore.Authentication;
using SessionGate.AspNetCore.Configuration;
using SessionGate.Storage.Redis;
using SessionGate.Usage;
using SessionGate.Verification;

namespace SessionGate.AspNetCore.Admin;

/// <summary>
/// The admin API under <c>{PathPrefix}/admin</c> (docs/admin-api.md). Runs inside the PathPrefix
/// branch, so admin requests never reach session authentication or rate limiting. Without
/// <c>SessionGate:Admin:ApiKey</c>, or on a port that is not an admin listener (<c>SessionGate:Admin:Urls</c>),
/// it passes every request on (404, as if the path did not exist).
/// Order of checks: the caller's address (429 <c>admin_throttled</c> while it is backing off after
/// failed credentials, 429 <c>ip_blocked</c> while blocked), credential (401 for every path, known or
/// not; each failure counts toward the back-off of <see cref="AdminFailureThrottle"/> and toward client
/// blocking), route (404/405), body (415/413/400).
/// </summary>
internal sealed class AdminApiMiddleware
{
    private const string Root = "/admin";

    private readonly RequestDelegate _next;
    private readonly AdminCredential? _credential;
    private readonly AdminRouter? _router;
    private readonly AdminFailureThrottle? _throttle;
    private readonly IClientBlocker? _blocker;
    private readonly AdminOptions _admin;
    private readonly ILogger _logger;

    public AdminApiMiddleware(RequestDelegate next, IOptions<SessionGateOptions> options, IServiceProvider services, ILogger<AdminApiMiddleware> logger)
    {
        _next = next;
        _logger = logger;
        SessionGateOptions settings = options.Value;
        _admin = settings.Admin;
        if (settings.Admin.ApiKey is not { } apiKey)
        {
            return;
        }

        _credential = new AdminCredential(apiKey);
        AdminServices admin = AdminServices.From(services);
        _router = AdminRoutes.Create(admin, logger);
        _throttle = new AdminFailureThrottle(settings.Admin.FailuresPerMinute, settings.Admin.MaxBackoff, admin.Time);
        _blocker = admin.Blocker;
    }

    public Task InvokeAsync(HttpContext context)
    {
        string path = context.Request.Path.Value ?? "";
        bool isAdmin = path.StartsWith(Root, StringComparison.Ordinal) && (path.Length == Root.Length || path[Root.Length] == '/');
        if (!isAdmin || _credential is null || _router is null || _throttle is null || _blocker is null || !AdminListener.Serves(context, _admin))
        {
            return _next(context);
        }

        return HandleAsync(context, path, _credential, _router, _throttle, _blocker);
    }

    private async Task HandleAsync(HttpContext context, string path, AdminCredential credential, AdminRouter router, AdminFailureThrottle throttle, IClientBlocker blocker)
    {
        try
        {
            await CheckCredentialAsync(context, path, credential, throttle, blocker).ConfigureAwait(false);

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
            Log.StoreUnavailable(_logger, e, LogValue.Escape(path));
            await AdminResponses.WriteProblemAsync(context, AdminProblemException.StoreUnavailable()).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Refuses a throttled or blocked address before looking at its credential (so guessing costs the
    /// guesser time, not the gateway work), then checks the credential; a failure counts toward both.
    /// Only failures answered 401 are logged, and the start of each back-off: a flood of wrong keys
    /// writes a handful of lines a minute, not one per request.
    /// </summary>
    private async Task CheckCredentialAsync(HttpContext context, string path, AdminCredential credential, AdminFailureThrottle throttle, IClientBlocker blocker)
    {
        string client = ClientAddresses.Of(context);
        if (throttle.ShutOutFor(client) is { } shutOut)
        {
            throw Throttled(shutOut);
        }

        if (await blocker.GetBlockedForAsync(client, context.RequestAborted).ConfigureAwait(false) is { } blocked)
        {
            throw new AdminProblemException(429, AdminProblemCodes.IpBlocked, "This address failed authentication too often; try again later.") { RetryAfter = blocked };
        }

        if (credential.Matches(context.Request.Headers.Authorization))
        {
            throttle.RecordSuccess(client);
            return;
        }

        TimeSpan? backoff = throttle.RecordFailure(client);
        await blocker.RecordFailureAsync(client, context.RequestAborted).ConfigureAwait(false);
        if (backoff is { } wait)
        {
            Log.Throttled(_logger, LogValue.Escape(client), wait.TotalSeconds);
            throw Throttled(wait);
        }

        Log.Unauthorized(_logger, LogValue.Escape(client), LogValue.Escape(path));
        throw new AdminProblemException(401, AdminProblemCodes.Unauthorized, "Send Authorization: Bearer <SessionGate:Admin:ApiKey>.");
    }

    private static AdminProblemException Throttled(TimeSpan wait) =>
        new(429, AdminProblemCodes.Throttled, "Too many wrong admin credentials from this address; wait for Retry-After seconds.") { RetryAfter = wait };

    // Besides timeouts and lost connections, Redis may refuse a command outright (e.g. OOM when the
    // repository's redis.conf "noeviction" limit is reached): the command was refused, so 503, not 500.
    private static bool IsStoreFailure(Exception e) =>
        e is StoreUnavailableException or StackExchange.Redis.RedisException;
}
