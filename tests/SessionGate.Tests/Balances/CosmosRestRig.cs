using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Time.Testing;
using SessionGate.Balances;
using SessionGate.Chain;
using SessionGate.Testing;
using SessionGate.Testing.Nodes;

namespace SessionGate.Tests.Balances;

/// <summary>A Cosmos REST balance source wired to a fake node, a fake clock and a capturing logger.</summary>
internal sealed class CosmosRestRig : IDisposable
{
    public const string Account = "kira1qypqxpq9qcrsszg2pvxq6rs0zqg3yyc50dxs83";

    private readonly HttpClient _httpClient;

    public CosmosRestRig(ChainOptions? options = null)
    {
        Options = options ?? new ChainOptions { Mode = ChainMode.Tendermint, RpcUrl = "http://node.test:26657", RestUrl = "http://node.test:1317" };
        _httpClient = new HttpClient(Node);
        Source = new CosmosRestBalanceSource(_httpClient, Options, Clock, Logger);
    }

    public FakeTimeProvider Clock { get; } = new(TestTime.Start);

    public FakeCosmosRestNode Node { get; } = new();

    public ChainOptions Options { get; }

    public FakeLogger<CosmosRestBalanceSource> Logger { get; } = new();

    public CosmosRestBalanceSource Source { get; }

    public Task<BalanceResult> GetAsync(string account = Account, CancellationToken cancellationToken = default) =>
        Source.GetBalanceAsync(account, cancellationToken).AsTask();

    public void Dispose() => _httpClient.Dispose();
}
