using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Time.Testing;
using SessionGate.Chain;
using SessionGate.Testing;
using SessionGate.Testing.Nodes;

namespace SessionGate.Tests.Chain;

/// <summary>A Tendermint feed wired to a fake node, a fake clock and an in-memory store.</summary>
internal sealed class TendermintRig : IDisposable
{
    private readonly HttpClient _httpClient;

    public TendermintRig(ChainOptions? options = null)
    {
        Options = options ?? new ChainOptions { Mode = ChainMode.Tendermint, RpcUrl = "http://node.test:26657" };
        Store = new InMemoryBlockStore(Options.Retention, Clock);
        _httpClient = new HttpClient(Node) { BaseAddress = new Uri(Options.RpcUrl!) };
        Feed = new TendermintBlockFeed(_httpClient, Options, Store, Clock, Logger);
    }

    public FakeTimeProvider Clock { get; } = new(TestTime.Start);

    public FakeTendermintNode Node { get; } = new();

    public ChainOptions Options { get; }

    public FakeLogger<TendermintBlockFeed> Logger { get; } = new();

    public InMemoryBlockStore Store { get; }

    public TendermintBlockFeed Feed { get; }

    /// <summary>Adds blocks at heights <paramref name="from"/>..<paramref name="to"/>, <paramref name="spacing"/> apart, the last one at "now".</summary>
    public BlockInfo[] AddBlocks(long from, long to, TimeSpan? spacing = null)
    {
        TimeSpan step = spacing ?? TimeSpan.FromSeconds(5);
        DateTimeOffset now = Clock.GetUtcNow();
        BlockInfo[] blocks = [.. Enumerable.Range(0, (int)(to - from + 1)).Select(i => TendermintSamples.MakeBlock(from + i, now - (step * (to - from - i))))];
        Node.Add(blocks);
        return blocks;
    }

    public void Dispose() => _httpClient.Dispose();
}
