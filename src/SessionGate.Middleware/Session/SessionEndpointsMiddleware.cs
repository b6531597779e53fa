using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using SessionGate.AspNetCore.Authentication;
using SessionGate.AspNetCore.Grants;
using SessionGate.Balances;
using SessionGate.Keys;
using SessionGate.RateLimiting;
using SessionGate.RateLimiting.Quotas;
using SessionGate.Storage;
using SessionGate.Verification;

namespace SessionGate.AspNetCore.Session;

/// <summary>
/// A session's own view (docs/grants.md §4), authenticated through the SessionGate scheme:
/// <c>GET {PathPrefix}/session</c> (account, key, tier, balance, remaining budgets — peeked, nothing
/// spent), <c>GET {PathPrefix}/session/keys</c> (the account's keys) and <c>DELETE {PathPrefix}/session</c>
/// (the key that signed the header disables itself, permanently).
/// </summary>
internal sealed class SessionEndpointsMiddleware
{
    private readonly RequestDelegate _next;
    private readonly IServiceProvider _services;

    public SessionEndpointsMiddleware(RequestDelegate next, IServiceProvider services)
    {
        _next = next;
        _services = services;
    }

    public Task InvokeAsync(HttpContext context)
    {
        string? path = context.Request.Path.Value;
        if (path is not ("/session" or "/session/keys"))
        {
            return _next(context);
        }

        bool allowed = path == "/session"
            ? HttpMethods.IsGet(context.Request.Method) || HttpMethods.IsDelete(context.Request.Method)
            : HttpMethods.IsGet(context.Request.Method);
        if (!allowed)
        {
            context.Response.Headers.Allow = path == "/session" ? "GET, DELETE" : "GET";
            return GrantResponses.WriteProblemAsync(context, 405, "method_not_allowed", "Method not allowed", "Method not allowed on this path.");
        }

        return HandleAsync(context, path);
    }

    private async Task HandleAsync(HttpContext context, string path)
    {
        AuthenticateResult result = await context.AuthenticateAsync(SessionGateAuthenticationDefaults.AuthenticationScheme).ConfigureAwait(false);
        if (result.Failure is SessionAuthenticationException refused)
        {
            await ProblemResponses.WriteAsync(context, refused.Error, refused.Detail, refused.RetryAfter).ConfigureAwait(false);
            return;
        }

        if (!result.Succeeded || context.Features.Get<ISessionGateFeature>() is not { } feature)
        {
            await ProblemResponses.WriteAsync(context, SessionError.SessionRequired, "Send a kira_session header signed by the session key.").ConfigureAwait(false);
            return;
        }

        var directory = _services.GetRequiredService<ISignerKeyDirectory>();
        TimeProvider time = _services.GetRequiredService<TimeProvider>();
        try
        {
            if (HttpMethods.IsDelete(context.Request.Method))
            {
                await directory.DisableAsync(feature.Key.PublicKey, context.RequestAborted).ConfigureAwait(false);
                SignerKeyRecord disabled = await directory.FindAsync(feature.Key.PublicKey, context.RequestAborted).ConfigureAwait(false) ?? feature.Key with { Disabled = true };
                await GrantResponses.WriteKeyAsync(context, 200, disabled, time.GetUtcNow()).ConfigureAwait(false);
                return;
            }

            if (path == "/session/keys")
            {
                IReadOnlyList<SignerKeyRecord> keys = await directory.ListByAccountAsync(feature.Session.Account, 0, SignerKeyRules.MaxPageSize, context.RequestAborted).ConfigureAwait(false);
                DateTimeOffset now = time.GetUtcNow();
                await GrantResponses.WriteJsonAsync(context, 200, writer =>
                {
                    writer.WriteStartObject();
                    writer.WriteString("account", feature.Session.Account);
                    writer.WriteStartArray("keys");
                    foreach (SignerKeyRecord key in keys)
                    {
                        GrantResponses.WriteKey(writer, key, now);
                    }

                    writer.WriteEndArray();
                    writer.WriteEndObject();
                }).ConfigureAwait(false);
                return;
            }

            await WriteSessionAsync(context, feature, time).ConfigureAwait(false);
        }
        catch (Exception e) when (e is StoreUnavailableException or StackExchange.Redis.RedisException)
        {
            await ProblemResponses.WriteAsync(context, SessionError.StoreUnavailable, "A store could not be reached; nothing was changed. Try again.").ConfigureAwait(false);
        }
    }

    private async Task WriteSessionAsync(HttpContext context, ISessionGateFeature feature, TimeProvider time)
    {
        string account = feature.Session.Account;
        QuotaPolicy policy = await _services.GetRequiredService<ITierResolver>().ResolveAsync(account, context.RequestAborted).ConfigureAwait(false);
        BalanceResult balance = await _services.GetRequiredService<IBalanceSource>().GetBalanceAsync(account, context.RequestAborted).ConfigureAwait(false);
        QuotaDecision budgets = await _services.GetRequiredService<IQuotaLimiter>().PeekAsync(PartitionKey.ForAccount(account), policy, context.RequestAborted).ConfigureAwait(false);
        if (budgets.Rejection == QuotaRejection.Unavailable)
        {
            throw new StoreUnavailableException("The quota store is unavailable.");
        }

        string denom = _services.GetRequiredService<Microsoft.Extensions.Options.IOptions<Configuration.SessionGateOptions>>().Value.Chain.Denom;
        await GrantResponses.WriteJsonAsync(context, 200, writer =>
        {
            writer.WriteStartObject();
            writer.WriteString("account", account);
            writer.WritePropertyName("session_key");
            GrantResponses.WriteKey(writer, feature.Key, time.GetUtcNow());
            writer.WriteStartObject("tier");
            Endpoints.MethodsDocument.WriteLimits(writer, policy);
            writer.WriteEndObject();
            Admin.AccountState.WriteBalance(writer, balance, denom);
            writer.WriteStartArray("budgets");
            WriteBudget(writer, "rate", policy.Burst, budgets.Remaining, budgets.Reset);
            if (policy.DailyQuota is { } dailyLimit)
            {
                WriteBudget(writer, "daily", dailyLimit, budgets.DailyRemaining ?? dailyLimit, budgets.DailyReset ?? TimeSpan.Zero);
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        }).ConfigureAwait(false);
    }

    private static void WriteBudget(Utf8JsonWriter writer, string name, long limit, long remaining, TimeSpan reset)
    {
        writer.WriteStartObject();
        writer.WriteString("name", name);
        writer.WriteNumber("limit", limit);
        writer.WriteNumber("remaining", Math.Max(0, remaining));
        writer.WriteNumber("reset_seconds", (long)Math.Ceiling(reset.TotalSeconds));
        writer.WriteEndObject();
    }
}
