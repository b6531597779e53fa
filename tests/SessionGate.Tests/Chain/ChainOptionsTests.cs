using SessionGate.Chain;

namespace SessionGate.Tests.Chain;

public sealed class ChainOptionsTests
{
    [Fact]
    public void Validate_Defaults_NoErrors()
    {
        Assert.Empty(new ChainOptions().Validate());
    }

    [Fact]
    public void Validate_TendermintWithRpcUrl_NoErrors()
    {
        Assert.Empty(new ChainOptions { Mode = ChainMode.Tendermint, RpcUrl = "https://rpc.example:26657/" }.Validate());
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("127.0.0.1:26657")]
    [InlineData("/relative")]
    [InlineData("ftp://node.example")]
    [InlineData("http://node.example/?x=1")]
    public void Validate_TendermintWithBadRpcUrl_NamesTheKey(string? rpcUrl)
    {
        IReadOnlyList<string> errors = new ChainOptions { Mode = ChainMode.Tendermint, RpcUrl = rpcUrl }.Validate();

        string error = Assert.Single(errors);
        Assert.StartsWith("SessionGate:Chain:RpcUrl must be an absolute http(s) URL", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_EverySettingBad_ReportsEveryKeyAtOnce()
    {
        var options = new ChainOptions
        {
            Mode = (ChainMode)7,
            PollInterval = TimeSpan.Zero,
            Retention = TimeSpan.FromSeconds(-1),
            HealthyBlockAge = TimeSpan.FromDays(2),
            Dev = new DevChainOptions { BlockInterval = TimeSpan.Zero, ChainId = " " },
            Tendermint = new TendermintOptions
            {
                RequestTimeout = TimeSpan.Zero,
                NegativeCacheTtl = TimeSpan.FromDays(3),
                NegativeCacheCapacity = 1,
                MaxBackfillPerPoll = -1,
                MaxConcurrentLookups = 0,
            },
        };

        IReadOnlyList<string> errors = options.Validate("App:Chain");

        string[] keys =
        [
            "Mode", "PollInterval", "Retention", "HealthyBlockAge", "Dev:BlockInterval", "Dev:ChainId",
            "Tendermint:RequestTimeout", "Tendermint:NegativeCacheTtl", "Tendermint:NegativeCacheCapacity",
            "Tendermint:MaxBackfillPerPoll", "Tendermint:MaxConcurrentLookups",
        ];
        Assert.Equal(keys.Length, errors.Count);
        foreach (string key in keys)
        {
            Assert.Contains(errors, e => e.StartsWith("App:Chain:" + key + " ", StringComparison.Ordinal));
        }
    }

    [Fact]
    public void Validate_RetentionNotLongerThanPollInterval_Reported()
    {
        var options = new ChainOptions { PollInterval = TimeSpan.FromMinutes(10), Retention = TimeSpan.FromMinutes(6) };

        string error = Assert.Single(options.Validate());
        Assert.Equal("SessionGate:Chain:Retention must be longer than SessionGate:Chain:PollInterval.", error);
    }
}
