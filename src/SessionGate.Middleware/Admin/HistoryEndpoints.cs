using System.Globalization;
using System.Text;
using Microsoft.AspNetCore.Http;
using SessionGate.Usage;

namespace SessionGate.AspNetCore.Admin;

/// <summary>
/// The quota history (docs/admin-api.md): <c>GET /admin/usage/history</c> (overall per minute and the
/// top lists), <c>GET /admin/accounts/{account}/history</c> and its CSV export
/// <c>…/history.csv</c>. Each takes <c>range=1h|6h|24h</c> (default <c>1h</c>).
/// </summary>
internal sealed class HistoryEndpoints(AdminServices services)
{
    /// <summary>Entries per top list unless <c>top</c> says otherwise.</summary>
    public const int DefaultTop = 10;

    /// <summary>The CSV export's header row (RFC 4180: the first record names the fields).</summary>
    public const string CsvHeader = "minute,requests,refusals,cost,would_be_refused";

    public async Task GetUsageAsync(HttpContext context, string[] values)
    {
        var errors = new ValidationErrors();
        HistoryRange range = Range(context, errors);
        int top = AdminInput.QueryInt(context.Request.Query, "top", DefaultTop, 1, 100, errors);
        errors.ThrowIfAny();
        UsageHistoryReport report = await services.History.ReadAsync(range, top, context.RequestAborted).ConfigureAwait(false);
        await AdminResponses.WriteJsonAsync(context, 200, w =>
        {
            w.WriteStartObject();
            w.WriteString("time", AdminResponses.Time(report.Time));
            HistoryJson.WriteSeries(w, range, report.Overall);
            w.WriteStartObject("top");
            w.WriteString("from", AdminResponses.Time(report.TopFrom));
            HistoryJson.WriteTopList(w, "accounts", report.Accounts);
            HistoryJson.WriteTopList(w, "routes", report.Routes);
            HistoryJson.WriteTopList(w, "methods", report.Methods);
            HistoryJson.WriteTopList(w, "anonymousPrefixes", report.AnonymousPrefixes);
            w.WriteEndObject();
            w.WriteEndObject();
        }).ConfigureAwait(false);
    }

    public async Task GetAccountAsync(HttpContext context, string[] values)
    {
        (string account, HistoryRange range) = AccountAndRange(context, values);
        HistorySeries series = await services.History.ReadAccountAsync(account, range, context.RequestAborted).ConfigureAwait(false);
        await AdminResponses.WriteJsonAsync(context, 200, w =>
        {
            w.WriteStartObject();
            w.WriteString("account", account);
            w.WriteString("time", AdminResponses.Time(services.Time.GetUtcNow()));
            HistoryJson.WriteSeries(w, range, series);
            w.WriteEndObject();
        }).ConfigureAwait(false);
    }

    public async Task GetAccountCsvAsync(HttpContext context, string[] values)
    {
        (string account, HistoryRange range) = AccountAndRange(context, values);
        HistorySeries series = await services.History.ReadAccountAsync(account, range, context.RequestAborted).ConfigureAwait(false);
        context.Response.Headers.ContentDisposition = $"attachment; filename=\"history-{account}-{range.Name()}.csv\"";
        await AdminResponses.WriteAsync(context, 200, "text/csv; charset=utf-8; header=present", Csv(series)).ConfigureAwait(false);
    }

    /// <summary>One record per minute of the range, oldest first, zeros included; CRLF line breaks (RFC 4180). No field needs quoting.</summary>
    internal static byte[] Csv(HistorySeries series)
    {
        var csv = new StringBuilder(CsvHeader.Length + 2 + (series.Minutes.Count * 40));
        csv.Append(CsvHeader).Append("\r\n");
        for (int i = 0; i < series.Minutes.Count; i++)
        {
            HistoryCounts m = series.Minutes[i];
            csv.Append(CultureInfo.InvariantCulture, $"{series.Start.AddMinutes(i).UtcDateTime:yyyy-MM-dd'T'HH:mm:ss'Z'},{m.Requests},{m.Refused},{m.Cost},{m.WouldBeRefused}\r\n");
        }

        return Encoding.UTF8.GetBytes(csv.ToString());
    }

    private static HistoryRange Range(HttpContext context, ValidationErrors errors)
    {
        if (!context.Request.Query.TryGetValue("range", out Microsoft.Extensions.Primitives.StringValues text))
        {
            return HistoryRange.OneHour;
        }

        if (text.Count != 1 || !HistoryRanges.TryParse(text[0], out HistoryRange range))
        {
            errors.Add("range", "must be one of " + string.Join(", ", HistoryRanges.Names));
            return HistoryRange.OneHour;
        }

        return range;
    }

    private (string Account, HistoryRange Range) AccountAndRange(HttpContext context, string[] values)
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

        HistoryRange range = Range(context, errors);
        errors.ThrowIfAny();
        return (account, range);
    }
}
