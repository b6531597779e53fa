using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Time.Testing;
using SessionGate.Balances;
using SessionGate.Chain;
using SessionGate.Testing;
using SessionGate.Testing.Nodes;

namespace SessionGate.Tests.Balances;

public sealed class CosmosRestAddressTests
{
    private const string Account = CosmosRestRig.Account;

    [Theory]
    [InlineData("http://node.test:1317", "http://node.test:1317/cosmos/bank/v1beta1/balances/" + Account)]
    [InlineData("http://node.test:1317/", "http://node.test:1317/cosmos/bank/v1beta1/balances/" + Account)]
    [InlineData("https://gw.test/lcd", "https://gw.test/lcd/cosmos/bank/v1beta1/balances/" + Account)]
    [InlineData("https://interx.test/api/kira/balances/{address}", "https://interx.test/api/kira/balances/" + Account)]
    [InlineData("https://gw.test/acct/{address}/coins", "https://gw.test/acct/" + Account + "/coins")]
    public void RequestUri_RestUrlOrTemplate_BuildsTheRequest(string restUrl, string expected)
    {
        var source = Create(new ChainOptions { RestUrl = restUrl });

        Assert.Equal(expected, source.RequestUri(Account).AbsoluteUri);
    }

    [Fact]
    public void RequestUri_NoRestUrl_UsesTheClientBaseAddress()
    {
        using var client = new HttpClient(new FakeCosmosRestNode()) { BaseAddress = new Uri("http://base.test:1317/") };
        var source = new CosmosRestBalanceSource(client, new ChainOptions(), new FakeTimeProvider(TestTime.Start), new FakeLogger<CosmosRestBalanceSource>());

        Assert.Equal("http://base.test:1317/cosmos/bank/v1beta1/balances/" + Account, source.RequestUri(Account).AbsoluteUri);
    }

    [Fact]
    public async Task GetBalanceAsync_InterxTemplate_ReadsTheSameJson()
    {
        var node = new FakeCosmosRestNode
        {
            Respond = (request, _) => Task.FromResult<HttpResponseMessage?>(request.RequestUri!.AbsolutePath == "/api/kira/balances/" + Account
                ? FakeCosmosRestNode.Json(FakeCosmosRestNode.Page([("ukex", "2000000000")]))
                : null),
        };
        using var client = new HttpClient(node);
        var source = new CosmosRestBalanceSource(
            client, new ChainOptions { RestUrl = "http://interx.test:11000/api/kira/balances/{address}" }, new FakeTimeProvider(TestTime.Start), new FakeLogger<CosmosRestBalanceSource>());

        BalanceResult result = await source.GetBalanceAsync(Account);

        Assert.Equal(2000m, result.Balance);
    }

    [Fact]
    public void Constructor_NoUrlAnywhere_Throws()
    {
        using var client = new HttpClient(new FakeCosmosRestNode());

        Assert.Throws<ArgumentException>(() => new CosmosRestBalanceSource(client, new ChainOptions(), new FakeTimeProvider(TestTime.Start), new FakeLogger<CosmosRestBalanceSource>()));
    }

    private static CosmosRestBalanceSource Create(ChainOptions options)
    {
        var client = new HttpClient(new FakeCosmosRestNode());
        return new CosmosRestBalanceSource(client, options, new FakeTimeProvider(TestTime.Start), new FakeLogger<CosmosRestBalanceSource>());
    }
}
