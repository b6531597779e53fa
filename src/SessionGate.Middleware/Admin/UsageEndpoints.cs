using Microsoft.AspNetCore.Http;
using SessionGate.Usage;

namespace SessionGate.AspNetCore.Admin;

/// <summary><c>GET /admin/usage</c>: the dashboard's data, overall and per account over the last minute.</summary>
internal sealed class UsageEndpoints(AdminServices services)
{
    public const int MaxSearchLength = 128;

    public async Task GetAsync(HttpContext context, string[] values)
    {
        var errors = new ValidationErrors();
        int limit = AdminInput.QueryInt(context.Request.Query, "limit", KeyEndpoints.DefaultPageSize, 1, KeyEndpoints.MaxPageSize, errors);
        string? search = null;
        if (context.Request.Query.TryGetValue("search", out Microsoft.Extensions.Primitives.StringValues searchValues))
        {
            search = searchValues.Count == 1 ? searchValues[0] : null;
            if (search is null || search.Length > MaxSearchLength)
            {
                errors.Add("search", $"must be given once, at most {MaxSearchLength} characters");
            }
        }

        errors.ThrowIfAny();
        UsageSnapshot usage = await services.Usage.ReadAsync(context.RequestAborted).ConfigureAwait(false);
        KeyValuePair<string, UsageSeries>[] accounts = [.. usage.Accounts
            .Where(a => string.IsNullOrEmpty(search) || a.Key.Contains(search, StringComparison.OrdinalIgnoreCase))
            .OrderByDescending(a => a.Value.Requests)
            .ThenBy(a => a.Key, StringComparer.Ordinal)
            .Take(limit)];

        var states = new AccountState[accounts.Length];
        for (int i = 0; i < accounts.Length; i++)
        {
            states[i] = await AccountState.LoadAsync(services, accounts[i].Key, context.RequestAborted).ConfigureAwait(false);
        }

        await AdminResponses.WriteJsonAsync(context, 200, w =>
        {
            w.WriteStartObject();
            w.WriteString("time", AdminResponses.Time(usage.Time));
            w.WriteNumber("windowSeconds", UsageWindow.Seconds);
            w.WriteStartObject("overall");
            AccountState.WriteUsage(w, usage.Overall);
            w.WriteEndObject();
            w.WriteStartArray("accounts");
            for (int i = 0; i < accounts.Length; i++)
            {
                w.WriteStartObject();
                w.WriteString("account", accounts[i].Key);
                AccountState.WriteUsage(w, accounts[i].Value);
                states[i].WriteTier(w);
                states[i].WriteBalance(w, services.Options.Chain.Denom);
                states[i].WriteBudgets(w);
                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteEndObject();
        }).ConfigureAwait(false);
    }
}
