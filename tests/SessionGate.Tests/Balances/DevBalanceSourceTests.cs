using Microsoft.Extensions.Time.Testing;
using SessionGate.Balances;
using SessionGate.Chain;
using SessionGate.Testing;

namespace SessionGate.Tests.Balances;

public sealed class DevBalanceSourceTests
{
    private const string Holder = "kira1qypqxpq9qcrsszg2pvxq6rs0zqg3yyc50dxs83";

    [Fact]
    public async Task GetBalanceAsync_ConfiguredAccount_ReturnsItsBalanceSynchronously()
    {
        var time = new FakeTimeProvider(TestTime.Start);
        var source = new DevBalanceSource(Options(new DevAccountBalance { Account = Holder, Balance = 1500.5m }), time);

        ValueTask<BalanceResult> pending = source.GetBalanceAsync(Holder);

        Assert.True(pending.IsCompletedSuccessfully);
        Assert.Equal(new BalanceResult(true, 1500.5m, time.GetUtcNow()), await pending);
    }

    [Fact]
    public async Task GetBalanceAsync_UpperCaseAddress_MatchesLikeBech32()
    {
        var source = new DevBalanceSource(Options(new DevAccountBalance { Account = Holder, Balance = 7 }), new FakeTimeProvider(TestTime.Start));

        Assert.Equal(7m, (await source.GetBalanceAsync(Holder.ToUpperInvariant())).Balance);
    }

    [Fact]
    public async Task GetBalanceAsync_UnlistedAccount_KnownZero()
    {
        var source = new DevBalanceSource(Options(new DevAccountBalance { Account = Holder, Balance = 7 }), new FakeTimeProvider(TestTime.Start));

        BalanceResult result = await source.GetBalanceAsync("kira1unlisted");

        Assert.True(result.Known);
        Assert.Equal(0m, result.Balance);
    }

    [Fact]
    public async Task GetBalanceAsync_NoAccountsConfigured_EveryoneZero()
    {
        var source = new DevBalanceSource(new ChainOptions(), new FakeTimeProvider(TestTime.Start));

        Assert.Equal(0m, (await source.GetBalanceAsync(Holder)).Balance);
    }

    private static ChainOptions Options(params DevAccountBalance[] accounts) => new() { Dev = new DevChainOptions { Accounts = accounts } };
}
