using SessionGate.Balances;
using SessionGate.Chain;
using SessionGate.Testing.Nodes;

namespace SessionGate.Tests.Balances;

public sealed class CosmosRestBalanceSourceTests
{
    private const string Account = CosmosRestRig.Account;

    [Fact]
    public async Task GetBalanceAsync_DenomPresent_ReturnsWholeTokensReadNow()
    {
        using var rig = new CosmosRestRig();
        rig.Node.SetCoins(Account, ("ukex", "1234567890"));

        BalanceResult result = await rig.GetAsync();

        Assert.True(result.Known);
        Assert.Equal(1234.56789m, result.Balance);
        Assert.Equal(rig.Clock.GetUtcNow(), result.AsOf);
        Uri request = Assert.Single(rig.Node.Requests);
        Assert.Equal("http://node.test:1317/cosmos/bank/v1beta1/balances/" + Account, request.AbsoluteUri);
    }

    [Fact]
    public async Task GetBalanceAsync_OnlyOtherDenoms_ReturnsZero()
    {
        using var rig = new CosmosRestRig();
        rig.Node.SetCoins(Account, ("ibc/27394FB092D2ECCD56123C74F36E4C1F926001CEADA9CA97EA622B25F41E5EB2", "99999999999999"), ("ukex2", "5000000000"), ("uke", "7"));

        BalanceResult result = await rig.GetAsync();

        Assert.True(result.Known);
        Assert.Equal(0m, result.Balance);
    }

    [Fact]
    public async Task GetBalanceAsync_DenomAmongOthers_ReadsOnlyTheDenom()
    {
        using var rig = new CosmosRestRig();
        rig.Node.SetCoins(Account, ("factory/kira1x/coin", "77"), ("ukex", "2500000"), ("xeth", "100000000000000000000000000000000000000"));

        BalanceResult result = await rig.GetAsync();

        Assert.Equal(2.5m, result.Balance);
    }

    [Fact]
    public async Task GetBalanceAsync_AddressNeverSeen_ReturnsKnownZero()
    {
        using var rig = new CosmosRestRig();

        BalanceResult result = await rig.GetAsync();

        Assert.Equal(new BalanceResult(true, 0m, rig.Clock.GetUtcNow()), result);
    }

    [Theory]
    [InlineData("100000000000000000000000000000000000000000000000000")]
    [InlineData("115792089237316195423570985008687907853269984665640564039457584007913129639935")]
    public async Task GetBalanceAsync_AmountBeyondDecimal_ClampsToMaxValue(string amount)
    {
        using var rig = new CosmosRestRig();
        rig.Node.SetCoins(Account, ("ukex", amount));

        BalanceResult result = await rig.GetAsync();

        Assert.True(result.Known);
        Assert.Equal(decimal.MaxValue, result.Balance);
    }

    [Fact]
    public async Task GetBalanceAsync_AmountAsJsonNumber_IsAccepted()
    {
        using var rig = new CosmosRestRig();
        rig.Node.SetBody(Account, "{\"balances\":[{\"denom\":\"ukex\",\"amount\":3000000}]}");

        Assert.Equal(3m, (await rig.GetAsync()).Balance);
    }

    [Fact]
    public async Task GetBalanceAsync_ConfiguredDenomAndDecimals_AreUsed()
    {
        var options = new ChainOptions { RestUrl = "http://node.test:1317", Denom = "uatom", Decimals = 0 };
        using var rig = new CosmosRestRig(options);
        rig.Node.SetCoins(Account, ("ukex", "5000000"), ("uatom", "42"));

        Assert.Equal(42m, (await rig.GetAsync()).Balance);
    }

    [Fact]
    public async Task GetBalanceAsync_DenomOnSecondPage_FollowsNextKey()
    {
        using var rig = new CosmosRestRig();
        rig.Node.Respond = (request, _) => Task.FromResult<HttpResponseMessage?>(FakeCosmosRestNode.Json(
            request.RequestUri!.Query.Length == 0
                ? FakeCosmosRestNode.Page([("aaa", "1")], nextKey: "dWtleA==")
                : FakeCosmosRestNode.Page([("ukex", "7000000")])));

        BalanceResult result = await rig.GetAsync();

        Assert.Equal(7m, result.Balance);
        Assert.Equal(2, rig.Node.RequestCount);
        Assert.Equal("?pagination.key=dWtleA%3D%3D", rig.Node.Requests[1].Query);
    }

    [Fact]
    public async Task GetBalanceAsync_EmptyNextKey_IsTheLastPage()
    {
        using var rig = new CosmosRestRig();
        rig.Node.SetBody(Account, "{\"balances\":[{\"denom\":\"aaa\",\"amount\":\"1\"}],\"pagination\":{\"next_key\":\"\",\"total\":\"0\"}}");

        Assert.Equal(new BalanceResult(true, 0m, rig.Clock.GetUtcNow()), await rig.GetAsync());
        Assert.Equal(1, rig.Node.RequestCount);
    }

    [Fact]
    public async Task GetBalanceAsync_MorePagesThanTheLimit_UnknownAfterMaxPages()
    {
        using var rig = new CosmosRestRig();
        int page = 0;
        rig.Node.Respond = (_, _) => Task.FromResult<HttpResponseMessage?>(FakeCosmosRestNode.Json(
            FakeCosmosRestNode.Page([("factory/x/" + Interlocked.Increment(ref page), "1")], nextKey: "a2V5")));

        BalanceResult result = await rig.GetAsync();

        Assert.False(result.Known);
        Assert.Equal(CosmosRestBalanceSource.MaxPages, rig.Node.RequestCount);
    }

    [Fact]
    public async Task GetBalanceAsync_BadRequest_ReturnsZeroBecauseTheAddressCanHoldNothing()
    {
        using var rig = new CosmosRestRig();
        rig.Node.Respond = (_, _) => Task.FromResult<HttpResponseMessage?>(FakeCosmosRestNode.Json(
            "{\"code\":3,\"message\":\"invalid address: decoding bech32 failed\",\"details\":[]}", System.Net.HttpStatusCode.BadRequest));

        Assert.Equal(new BalanceResult(true, 0m, rig.Clock.GetUtcNow()), await rig.GetAsync());
    }

    [Theory]
    [InlineData(System.Net.HttpStatusCode.NotFound)]
    [InlineData(System.Net.HttpStatusCode.TooManyRequests)]
    [InlineData(System.Net.HttpStatusCode.InternalServerError)]
    [InlineData(System.Net.HttpStatusCode.BadGateway)]
    [InlineData(System.Net.HttpStatusCode.ServiceUnavailable)]
    public async Task GetBalanceAsync_ErrorStatus_Unknown(System.Net.HttpStatusCode status)
    {
        using var rig = new CosmosRestRig();
        rig.Node.Respond = (_, _) => Task.FromResult<HttpResponseMessage?>(FakeCosmosRestNode.Json("{\"code\":13,\"message\":\"oops\"}", status));

        Assert.Equal(BalanceResult.Unknown, await rig.GetAsync());
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("[]")]
    [InlineData("{}")]
    [InlineData("{\"balances\":{}}")]
    [InlineData("{\"balances\":[{\"amount\":\"1\"}]}")]
    [InlineData("{\"balances\":[{\"denom\":\"ukex\"}]}")]
    [InlineData("{\"balances\":[{\"denom\":\"ukex\",\"amount\":\"-5\"}]}")]
    [InlineData("{\"balances\":[{\"denom\":\"ukex\",\"amount\":\"1.5\"}]}")]
    [InlineData("{\"balances\":[{\"denom\":\"ukex\",\"amount\":null}]}")]
    [InlineData("{\"balances\":[{\"denom\":\"ukex\",\"amount\":1e6}]}")]
    [InlineData("{\"balances\":[],\"pagination\":{\"next_key\":5}}")]
    public async Task GetBalanceAsync_MalformedAnswer_Unknown(string body)
    {
        using var rig = new CosmosRestRig();
        rig.Node.SetBody(Account, body);

        Assert.Equal(BalanceResult.Unknown, await rig.GetAsync());
    }

    [Fact]
    public async Task GetBalanceAsync_ResponseLargerThanTheLimit_Unknown()
    {
        using var rig = new CosmosRestRig();
        rig.Node.SetBody(Account, "{\"balances\":[],\"padding\":\"" + new string('x', CosmosRestBalanceSource.MaxResponseBytes) + "\"}");

        Assert.Equal(BalanceResult.Unknown, await rig.GetAsync());
    }

    [Fact]
    public async Task GetBalanceAsync_NodeNeverAnswers_UnknownOnceRequestTimeoutPasses()
    {
        using var rig = new CosmosRestRig();
        var entered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        rig.Node.Respond = async (_, token) =>
        {
            entered.TrySetResult();
            await Task.Delay(Timeout.Infinite, token);
            return null;
        };

        Task<BalanceResult> lookup = rig.GetAsync();
        await entered.Task;
        rig.Clock.Advance(rig.Options.Tendermint.RequestTimeout);

        Assert.Equal(BalanceResult.Unknown, await lookup);
    }

    [Fact]
    public async Task GetBalanceAsync_AfterNodeFailure_BacksOffForASecondWithoutRequests()
    {
        using var rig = new CosmosRestRig();
        rig.Node.Respond = (_, _) => throw new HttpRequestException("connection refused");

        Assert.Equal(BalanceResult.Unknown, await rig.GetAsync());
        Assert.Equal(BalanceResult.Unknown, await rig.GetAsync("kira1other"));
        Assert.Equal(1, rig.Node.RequestCount);

        rig.Node.Respond = null;
        rig.Clock.Advance(CosmosRestBalanceSource.NodeBackoff);
        Assert.True((await rig.GetAsync()).Known);
        Assert.Equal(2, rig.Node.RequestCount);
    }

    [Fact]
    public async Task GetBalanceAsync_MalformedAnswerForOneAccount_DoesNotBackOff()
    {
        using var rig = new CosmosRestRig();
        rig.Node.SetBody(Account, "{\"balances\":[{\"denom\":\"ukex\",\"amount\":\"x\"}]}");

        Assert.False((await rig.GetAsync()).Known);
        Assert.True((await rig.GetAsync("kira1other")).Known);
        Assert.Equal(2, rig.Node.RequestCount);
    }

    [Theory]
    [InlineData("")]
    [InlineData("kira1/../../status")]
    [InlineData("kira1 space")]
    [InlineData("kira1qypqxpq9qcrsszg2pvxq6rs0zqg3yyc50dxs83qyqszqgpqyqszqgpqyqszqgpqyqszqgpjc4zp5qyqszqgpqyqszqgp")]
    public async Task GetBalanceAsync_CannotBeAnAddress_ZeroWithoutRequest(string account)
    {
        using var rig = new CosmosRestRig();

        Assert.Equal(new BalanceResult(true, 0m, rig.Clock.GetUtcNow()), await rig.GetAsync(account));
        Assert.Equal(0, rig.Node.RequestCount);
    }

    [Fact]
    public async Task GetBalanceAsync_CallerCancels_Throws()
    {
        using var rig = new CosmosRestRig();
        rig.Node.Respond = async (_, token) =>
        {
            await Task.Delay(Timeout.Infinite, token);
            return null;
        };
        using var cancel = new CancellationTokenSource();

        Task<BalanceResult> lookup = rig.GetAsync(cancellationToken: cancel.Token);
        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => lookup);
    }

    [Fact]
    public async Task GetBalanceAsync_FailingThenRecovering_WarnsOnceAndLogsRecovery()
    {
        using var rig = new CosmosRestRig();
        rig.Node.Respond = (_, _) => Task.FromResult<HttpResponseMessage?>(FakeCosmosRestNode.Json("{}", System.Net.HttpStatusCode.BadGateway));
        await rig.GetAsync();
        rig.Clock.Advance(CosmosRestBalanceSource.NodeBackoff);
        await rig.GetAsync();
        rig.Node.Respond = null;
        rig.Clock.Advance(CosmosRestBalanceSource.NodeBackoff);
        await rig.GetAsync();

        Assert.Single(rig.Logger.Collector.GetSnapshot(), e => e.Id.Id == 3200);
        Assert.Single(rig.Logger.Collector.GetSnapshot(), e => e.Id.Id == 3202);
    }
}
