using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging.Abstractions;
using SessionGate.Balances;
using SessionGate.Chain;
using SessionGate.AspNetCore.Configuration;
using SessionGate.RateLimiting;
using SessionGate.AspNetCore.RateLimiting;
using SessionGate.RateLimiting.Tiers;

namespace SessionGate.IntegrationTests.Balances;

/// <summary>The balance and tier keys of DESIGN §5 bind from ordinary ASP.NET configuration.</summary>
public sealed class BalanceConfigurationTests
{
    private const string Holder = "kira1qypqxpq9qcrsszg2pvxq6rs0zqg3yyc50dxs83";

    [Fact]
    public async Task Bind_DesignSection5Json_DevAccountsAndTiersResolve()
    {
        const string Json = """
            {
              "SessionGate": {
                "Chain": {
                  "Mode": "Dev",
                  "RestUrl": "http://127.0.0.1:1317",
                  "Denom": "ukex", "Decimals": 6,
                  "Dev": { "BlockInterval": "00:00:05", "Accounts": [ { "Account": "kira1qypqxpq9qcrsszg2pvxq6rs0zqg3yyc50dxs83", "Balance": 1000 } ] }
                },
                "RateLimiting": {
                  "Anonymous": { "PermitsPerMinute": 10, "Burst": 5 },
                  "Tiers": [
                    { "Name": "free",   "MinBalance": 0,      "PermitsPerMinute": 60,   "Burst": 20 },
                    { "Name": "holder", "MinBalance": 1000,   "PermitsPerMinute": 600,  "Burst": 100 },
                    { "Name": "whale",  "MinBalance": 100000, "PermitsPerMinute": 6000, "Burst": 1000, "DailyQuota": 5000000 }
                  ],
                  "BalanceCacheTtl": "00:00:30"
                }
              }
            }
            """;
        IConfiguration configuration = new ConfigurationBuilder().AddJsonStream(new MemoryStream(System.Text.Encoding.UTF8.GetBytes(Json))).Build();

        SessionGateOptions gate = configuration.GetSection(SessionGateOptions.SectionName).Get<SessionGateOptions>()!;
        RateLimitingOptions limits = configuration.GetSection(TierPolicyValidation.SectionName).Get<RateLimitingOptions>()!;

        ChainOptions chain = gate.Chain;
        Assert.Empty(chain.Validate());
        Assert.Empty(TierPolicyValidation.Validate(limits));
        Assert.Equal("http://127.0.0.1:1317", chain.RestUrl);
        Assert.Equal(TimeSpan.FromSeconds(30), limits.BalanceCacheTtl);
        DevAccountBalance account = Assert.Single(chain.Dev.Accounts);
        Assert.Equal(new DevAccountBalance { Account = Holder, Balance = 1000m }, account);

        var resolver = new TierResolver(new DevBalanceSource(chain, TimeProvider.System), new InMemoryTierOverrideStore(), limits, NullLogger<TierResolver>.Instance);
        Assert.Equal("holder", (await resolver.ResolveAsync(Holder)).Name);
        Assert.Equal("free", (await resolver.ResolveAsync("kira1qqqsyqcyq5rqwzqfpg9scrgwpugpzysnnem5s5")).Name);
        Assert.Equal(5_000_000, limits.EffectiveTiers[2].DailyQuota);
    }

    [Fact]
    public void Bind_EnvironmentStyleKeys_ReportBadValuesByKey()
    {
        IConfiguration configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["SessionGate:Chain:Decimals"] = "30",
            ["SessionGate:Chain:Dev:Accounts:0:Account"] = "nope",
            ["SessionGate:Chain:Dev:Accounts:0:Balance"] = "5",
        }).Build();

        ChainOptions chain = configuration.GetSection(ChainOptions.SectionName).Get<ChainOptions>()!;

        Assert.Equal(
            ["SessionGate:Chain:Decimals", "SessionGate:Chain:Dev:Accounts:0:Account"],
            chain.Validate().Select(e => e[..e.IndexOf(' ', StringComparison.Ordinal)]));
    }
}
