using System.Net;
using System.Text.Json;

namespace SessionGate.Middleware.Tests.Admin;

/// <summary>The quota history endpoints over a real in-process gateway: what the limiter recorded, per account, route and prefix, and the CSV export.</summary>
public sealed class AdminHistoryTests
{
    private static readonly string Rich = TestGateway.AccountFor(1);

    [Fact]
    public async Task History_LimitedRequests_CountedOverallPerAccountRouteAndPrefix_WithCsvExport()
    {
        await using AdminTestGateway admin = await AdminTestGateway.StartAsync(new()
        {
            ["SessionGate:RateLimiting:Anonymous:Burst"] = "1",
        });
        string header = await admin.Gateway.HeaderAsync();
        for (int i = 0; i < 3; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await admin.Gateway.SendAsync("/limited", header)).StatusCode);
        }

        Assert.Equal(HttpStatusCode.OK, (await admin.Gateway.SendAsync("/costly", header)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await admin.Gateway.SendAsync("/limited", null)).StatusCode);
        Assert.Equal(HttpStatusCode.TooManyRequests, (await admin.Gateway.SendAsync("/limited", null)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await admin.Gateway.SendAsync("/open", header)).StatusCode);   // not rate-limited: not counted

        JsonElement history = await admin.JsonAsync("GET", "/usage/history");
        JsonElement day = await admin.JsonAsync("GET", "/usage/history?range=24h&top=1");
        JsonElement account = await admin.JsonAsync("GET", $"/accounts/{Rich}/history?range=6h");

        Assert.Equal("1h", history.GetProperty("range").GetString());
        Assert.Equal(60, history.GetProperty("stepSeconds").GetInt32());
        Assert.Equal(60, history.GetProperty("series").GetProperty("requests").GetArrayLength());
        Assert.Equal(1440, day.GetProperty("series").GetProperty("cost").GetArrayLength());
        DateTimeOffset from = DateTimeOffset.Parse(history.GetProperty("from").GetString()!, System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(0, from.Second);
        Assert.InRange(DateTimeOffset.UtcNow - from, TimeSpan.FromMinutes(59), TimeSpan.FromMinutes(61));
        JsonElement totals = history.GetProperty("totals");
        Assert.Equal((6, 1, 3 + 5 + 1, 0), (Int(totals, "requests"), Int(totals, "refused"), Int(totals, "cost"), Int(totals, "wouldBeRefused")));
        Assert.Equal(6, history.GetProperty("series").GetProperty("requests").EnumerateArray().Sum(v => v.GetInt32()));

        JsonElement top = history.GetProperty("top");
        JsonElement rich = Assert.Single(top.GetProperty("accounts").GetProperty("items").EnumerateArray());
        Assert.Equal((Rich, 4, 8), (rich.GetProperty("name").GetString(), Int(rich, "requests"), Int(rich, "cost")));
        string[] routes = [.. top.GetProperty("routes").GetProperty("items").EnumerateArray().Select(r => r.GetProperty("name").GetString()!)];
        Assert.Equal(2, routes.Length);
        Assert.Contains("/limited", routes[0], StringComparison.Ordinal);
        Assert.Contains("/costly", routes[1], StringComparison.Ordinal);
        JsonElement prefixes = top.GetProperty("anonymousPrefixes");
        Assert.Equal(2, prefixes.GetProperty("items").EnumerateArray().Sum(p => Int(p, "requests")) + Int(prefixes.GetProperty("other"), "requests"));
        Assert.Equal(1, day.GetProperty("top").GetProperty("routes").GetProperty("items").GetArrayLength());
        Assert.Equal(1, Int(day.GetProperty("top").GetProperty("routes").GetProperty("other"), "requests"));
        Assert.Empty(top.GetProperty("methods").GetProperty("items").EnumerateArray());

        Assert.Equal(Rich, account.GetProperty("account").GetString());
        Assert.Equal(360, account.GetProperty("series").GetProperty("requests").GetArrayLength());
        Assert.Equal(4, Int(account.GetProperty("totals"), "requests"));

        using HttpResponseMessage csv = await admin.SendAsync("GET", $"/accounts/{Rich}/history.csv?range=1h");
        string text = await csv.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, csv.StatusCode);
        Assert.Equal("text/csv", csv.Content.Headers.ContentType?.MediaType);
        Assert.Equal($"history-{Rich}-1h.csv", csv.Content.Headers.ContentDisposition?.FileName?.Trim('"'));
        string[] lines = text.Split("\r\n");
        Assert.Equal(62, lines.Length);   // header, 60 minutes, and the empty text after the last CRLF
        Assert.Equal("minute,requests,refusals,cost,would_be_refused", lines[0]);
        Assert.Equal("", lines[^1]);
        Assert.DoesNotContain('\n', string.Join("", lines));
        string[][] rows = [.. lines[1..^1].Select(l => l.Split(','))];
        Assert.All(rows, r => Assert.Equal(5, r.Length));
        Assert.Equal(history.GetProperty("from").GetString()![..16], rows[0][0][..16]);
        Assert.EndsWith(":00Z", rows[0][0], StringComparison.Ordinal);
        Assert.Equal(4, rows.Sum(r => int.Parse(r[1], System.Globalization.CultureInfo.InvariantCulture)));
        Assert.Equal(8, rows.Sum(r => int.Parse(r[3], System.Globalization.CultureInfo.InvariantCulture)));
    }

    [Theory]
    [InlineData("/usage/history?range=2h", "range")]
    [InlineData("/usage/history?range=1h&range=6h", "range")]
    [InlineData("/usage/history?top=0", "top")]
    [InlineData("/usage/history?top=101", "top")]
    [InlineData("/accounts/kira1notanaccount/history", "account")]
    [InlineData("/accounts/kira1notanaccount/history.csv?range=1d", "account")]
    public async Task History_MalformedInput_Returns400NamingTheParameter(string path, string parameter)
    {
        await using AdminTestGateway admin = await AdminTestGateway.StartAsync();

        JsonElement problem = await admin.ProblemAsync("GET", path, null, 400, "invalid_request");

        Assert.True(problem.GetProperty("errors").TryGetProperty(parameter, out _), problem.ToString());
    }

    [Fact]
    public async Task History_WithoutTheAdminKey_Returns401()
    {
        await using AdminTestGateway admin = await AdminTestGateway.StartAsync();

        using HttpResponseMessage usage = await admin.SendAsync("GET", "/usage/history", authorization: "");
        using HttpResponseMessage csv = await admin.SendAsync("GET", $"/accounts/{Rich}/history.csv", authorization: "Bearer wrong-key-0000000000000");

        await ProblemAssert.IsProblemAsync(usage, 401, "admin_unauthorized");
        await ProblemAssert.IsProblemAsync(csv, 401, "admin_unauthorized");
    }

    private static int Int(JsonElement element, string name) => element.GetProperty(name).GetInt32();
}
