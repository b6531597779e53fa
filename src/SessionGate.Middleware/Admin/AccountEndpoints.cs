using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using SessionGate.Usage;
using SessionGate.Diagnostics;

namespace SessionGate.AspNetCore.Admin;

/// <summary><c>/admin/accounts/{account}</c>: the account view, and setting or removing its tier override.</summary>
internal sealed class AccountEndpoints(AdminServices services, ILogger logger)
{
    public async Task GetAsync(HttpContext context, string[] values)
    {
        string account = AdminInput.Account(values[0], services.Options.AddressPrefix);
        await WriteViewAsync(context, account).ConfigureAwait(false);
    }

    public async Task PutTierAsync(HttpContext context, string[] values)
    {
        var errors = new ValidationErrors();
        string account = "";
        try
        {
            account = AdminInput.Account(values[0], services.Options.AddressPrefix);
        }
        catch (AdminProblemException)
        {
            errors.Add("account", AdminInput.AccountMessage(services.Options.AddressPrefix));
        }

        JsonBody body = (await AdminBody.ReadAsync(context, required: true).ConfigureAwait(false))!;
        string? name = body.GetString("tier", errors, required: true);
        string tier = "";
        if (name is not null)
        {
            if (services.Tiers.TryGetTier(name, out SessionGate.RateLimiting.QuotaPolicy? policy))
            {
                tier = policy.Name;
            }
            else
            {
                errors.Add("tier", "must be a configured tier: " + string.Join(", ", services.Tiers.Tiers.Select(t => t.Name)));
            }
        }

        errors.ThrowIfAny();
        await SetOverrideAsync(context, account, tier).ConfigureAwait(false);
        Log.Change(logger, $"tier override of {LogValue.Escape(account)} set to {LogValue.Escape(tier)}");
        await WriteViewAsync(context, account).ConfigureAwait(false);
    }

    public async Task DeleteTierAsync(HttpContext context, string[] values)
    {
        string account = AdminInput.Account(values[0], services.Options.AddressPrefix);
        await SetOverrideAsync(context, account, null).ConfigureAwait(false);
        Log.Change(logger, $"tier override of {LogValue.Escape(account)} removed");
        await WriteViewAsync(context, account).ConfigureAwait(false);
    }

    private async Task SetOverrideAsync(HttpContext context, string account, string? tier)
    {
        try
        {
            await services.TierOverrides.SetAsync(account, tier, context.RequestAborted).ConfigureAwait(false);
        }
        catch (InvalidOperationException e)
        {
            // The store's bound on overrides (they are held in every instance's memory).
            throw new AdminProblemException(409, AdminProblemCodes.TooManyOverrides, e.Message);
        }
    }

    private async Task WriteViewAsync(HttpContext context, string account)
    {
        AccountState state = await AccountState.LoadAsync(services, account, context.RequestAborted).ConfigureAwait(false);
        UsageSeries series = await services.Usage.ReadAccountAsync(account, context.RequestAborted).ConfigureAwait(false);
        await AdminResponses.WriteJsonAsync(context, 200, w =>
        {
            w.WriteStartObject();
            w.WriteString("account", account);
            state.WriteBalance(w, services.Options.Chain.Denom);
            state.WriteTier(w);
            state.WriteBudgets(w);
            w.WriteStartObject("usage");
            AccountState.WriteUsage(w, series);
            w.WriteEndObject();
            w.WriteEndObject();
        }).ConfigureAwait(false);
    }
}
