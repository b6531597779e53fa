using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using SessionGate.Usage;

namespace SessionGate.Middleware.Tests.Configuration;

/// <summary><c>SessionGate:History</c>: the history's per-minute caps, validated with the rest of the section and honoured by the history.</summary>
public sealed class HistoryConfigurationTests
{
    [Fact]
    public async Task Start_HistoryCapsOutOfBounds_FailsListingEveryKey()
    {
        OptionsValidationException error = await StartupFailure.OfAsync(new Dictionary<string, string?>
        {
            ["SessionGate:History:MaxAccountsPerMinute"] = "0",
            ["SessionGate:History:MaxPrefixesPerMinute"] = "1001",
            ["SessionGate:History:MaxRoutesPerMinute"] = "-5",
            ["SessionGate:History:MaxMethodsPerMinute"] = "100000",
            ["SessionGate:Window"] = "-00:01:00",
        });

        string message = string.Join("\n", error.Failures);
        Assert.Contains("SessionGate:History:MaxAccountsPerMinute must be from 1 to 10000 (was 0)", message, StringComparison.Ordinal);
        Assert.Contains("SessionGate:History:MaxPrefixesPerMinute must be from 1 to 1000 (was 1001)", message, StringComparison.Ordinal);
        Assert.Contains("SessionGate:History:MaxRoutesPerMinute must be from 1 to 1000 (was -5)", message, StringComparison.Ordinal);
        Assert.Contains("SessionGate:History:MaxMethodsPerMinute must be from 1 to 1000 (was 100000)", message, StringComparison.Ordinal);
        Assert.Contains("SessionGate:Window", message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_Defaults_AreValidAndTheLimitsDefaults()
    {
        var options = new UsageHistoryOptions();

        Assert.Empty(options.Validate("SessionGate:History"));
        Assert.Equal(UsageHistoryLimits.Default, options.ToLimits());
    }

    [Fact]
    public async Task History_LoweredAccountCap_CountsFurtherAccountsAsOther()
    {
        await using TestGateway gateway = await TestGateway.StartAsync(new Dictionary<string, string?>
        {
            ["SessionGate:History:MaxAccountsPerMinute"] = "2",
            ["SessionGate:History:MaxRoutesPerMinute"] = "1",
        });
        IUsageHistory history = gateway.App.Services.GetRequiredService<IUsageHistory>();

        foreach (string account in new[] { "kira1alice", "kira1bob", "kira1carol", "kira1dave" })
        {
            history.Record(new UsageHistoryEntry(account, null, account == "kira1alice" ? "api" : "rpc", 1, Refused: false));
        }

        UsageHistoryReport report = await history.ReadAsync(HistoryRange.OneHour, top: 10);
        Assert.Equal(2, report.Accounts.Items.Count);
        Assert.Equal(2, report.Accounts.Other.Requests);
        // Which route keeps the one named place depends on the recorder's stripes (by account); the rest is other.
        HistoryTopEntry route = Assert.Single(report.Routes.Items);
        Assert.Contains(route.Name, new[] { "api", "rpc" });
        Assert.Equal(4 - route.Counts.Requests, report.Routes.Other.Requests);
    }
}
