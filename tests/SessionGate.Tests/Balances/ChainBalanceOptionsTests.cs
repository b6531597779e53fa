using SessionGate.Chain;

namespace SessionGate.Tests.Balances;

/// <summary>Start-up validation of the balance keys of <c>SessionGate:Chain</c>.</summary>
public sealed class ChainBalanceOptionsTests
{
    private const string Holder = "kira1qypqxpq9qcrsszg2pvxq6rs0zqg3yyc50dxs83";

    [Fact]
    public void Defaults_UkexWithSixDecimalsAndNoRestUrl()
    {
        var options = new ChainOptions();

        Assert.Null(options.RestUrl);
        Assert.Equal("ukex", options.Denom);
        Assert.Equal(6, options.Decimals);
        Assert.Empty(options.Dev.Accounts);
    }

    [Theory]
    [InlineData("http://127.0.0.1:1317")]
    [InlineData("https://lcd.example/")]
    [InlineData("https://gw.example/lcd")]
    [InlineData("https://interx.example/api/kira/balances/{address}")]
    public void Validate_GoodRestUrl_NoErrors(string restUrl)
    {
        Assert.Empty(new ChainOptions { RestUrl = restUrl }.Validate());
    }

    [Theory]
    [InlineData("")]
    [InlineData("127.0.0.1:1317")]
    [InlineData("ftp://lcd.example")]
    [InlineData("http://lcd.example/?x=1")]
    [InlineData("http://{address}.example/")]
    [InlineData("http://lcd.example/{address}/{address}")]
    [InlineData("http://lcd.example/{account}")]
    [InlineData("http://lcd.example/balances/{address}?denom=ukex")]
    public void Validate_BadRestUrl_NamesTheKey(string restUrl)
    {
        string error = Assert.Single(new ChainOptions { RestUrl = restUrl }.Validate());

        Assert.StartsWith("SessionGate:Chain:RestUrl must be an absolute http(s) URL", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("uatom")]
    [InlineData("ibc/27394FB092D2ECCD56123C74F36E4C1F926001CEADA9CA97EA622B25F41E5EB2")]
    [InlineData("factory/kira1x/sub.coin-1")]
    public void Validate_GoodDenom_NoErrors(string denom)
    {
        Assert.Empty(new ChainOptions { Denom = denom }.Validate());
    }

    [Theory]
    [InlineData("")]
    [InlineData("ab")]
    [InlineData("1kex")]
    [InlineData("u kex")]
    public void Validate_BadDenom_NamesTheKey(string denom)
    {
        string error = Assert.Single(new ChainOptions { Denom = denom }.Validate());

        Assert.StartsWith("SessionGate:Chain:Denom must be", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(19)]
    public void Validate_DecimalsOutOfRange_NamesTheKey(int decimals)
    {
        string error = Assert.Single(new ChainOptions { Decimals = decimals }.Validate());

        Assert.StartsWith("SessionGate:Chain:Decimals must be between 0 and 18", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_DevAccounts_ReportsEveryBadEntryByIndex()
    {
        var options = new ChainOptions
        {
            Dev = new DevChainOptions
            {
                Accounts =
                [
                    new DevAccountBalance { Account = Holder, Balance = 1000 },
                    new DevAccountBalance { Account = "not-an-address", Balance = 1 },
                    new DevAccountBalance { Account = Holder.ToUpperInvariant(), Balance = 5 },
                    new DevAccountBalance { Account = "kira1qqqsyqcyq5rqwzqfpg9scrgwpugpzysnzs23v9ccrydpk8qarc0sw5y5m8", Balance = -3 },
                ],
            },
        };

        IReadOnlyList<string> errors = options.Validate("App:Chain");

        Assert.Equal(4, errors.Count);
        Assert.StartsWith("App:Chain:Dev:Accounts:1:Account must be a bech32 account address", errors[0], StringComparison.Ordinal);
        Assert.StartsWith("App:Chain:Dev:Accounts:2:Account is listed more than once", errors[1], StringComparison.Ordinal);
        Assert.StartsWith("App:Chain:Dev:Accounts:3:Account must be a bech32 account address", errors[2], StringComparison.Ordinal);
        Assert.StartsWith("App:Chain:Dev:Accounts:3:Balance must not be negative", errors[3], StringComparison.Ordinal);
    }
}
