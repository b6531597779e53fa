using Microsoft.Extensions.Logging.Abstractions;
using SessionGate.Chain;

namespace SessionGate.IntegrationTests.Chain;

/// <summary>A Tendermint feed on the real clock with its own HttpClient, as the gateway would build it.</summary>
internal sealed class FeedHandle : IDisposable
{
    private readonly HttpClient _httpClient;

    public FeedHandle(Uri node, IBlockStore? store = null, ChainOptions? options = null)
    {
        Options = options ?? Defaults(node);
        Store = store ?? new InMemoryBlockStore(Options.Retention, TimeProvider.System);
        _httpClient = new HttpClient { BaseAddress = node };
        Feed = new TendermintBlockFeed(_httpClient, Options, Store, TimeProvider.System, NullLogger<TendermintBlockFeed>.Instance);
    }

    public ChainOptions Options { get; }

    public IBlockStore Store { get; }

    public TendermintBlockFeed Feed { get; }

    public static ChainOptions Defaults(Uri node) => new()
    {
        Mode = ChainMode.Tendermint,
        RpcUrl = node.ToString(),
        PollInterval = TimeSpan.FromMilliseconds(50),
        // Generous: this machine may be busy; tests that need a short timeout set their own.
        Tendermint = new TendermintOptions { RequestTimeout = TimeSpan.FromSeconds(5) },
    };

    public void Dispose() => _httpClient.Dispose();
}
