using Microsoft.Extensions.Logging;

namespace SessionGate.AspNetCore.Admin;

/// <summary>The admin API's route table (docs/admin-api.md); the OpenAPI document lists exactly these (tested).</summary>
internal static class AdminRoutes
{
    public static AdminRouter Create(AdminServices services, ILogger logger)
    {
        var keys = new KeyEndpoints(services, logger);
        var accounts = new AccountEndpoints(services, logger);
        var usage = new UsageEndpoints(services);
        var history = new HistoryEndpoints(services);
        var blocked = new BlockedEndpoints(services, logger);
        return new AdminRouter(
        [
            new("POST", "/admin/keys", keys.GrantAsync),
            new("GET", "/admin/keys/{publicKey}", keys.GetAsync),
            new("POST", "/admin/keys/{publicKey}/disable", keys.DisableAsync),
            new("GET", "/admin/keys/{publicKey}/disabled", keys.IsDisabledAsync),
            new("POST", "/admin/keys/{publicKey}/validate", keys.ValidateAsync),
            new("GET", "/admin/accounts/{account}", accounts.GetAsync),
            new("GET", "/admin/accounts/{account}/keys", keys.ListAsync),
            new("PUT", "/admin/accounts/{account}/tier", accounts.PutTierAsync),
            new("DELETE", "/admin/accounts/{account}/tier", accounts.DeleteTierAsync),
            new("GET", "/admin/accounts/{account}/history", history.GetAccountAsync),
            new("GET", "/admin/accounts/{account}/history.csv", history.GetAccountCsvAsync),
            new("GET", "/admin/usage", usage.GetAsync),
            new("GET", "/admin/usage/history", history.GetUsageAsync),
            new("GET", "/admin/blocked", blocked.ListAsync),
            new("DELETE", "/admin/blocked/{client}", blocked.UnblockAsync),
            new("GET", "/admin/openapi.json", OpenApiDocument.WriteAsync),
        ]);
    }
}
