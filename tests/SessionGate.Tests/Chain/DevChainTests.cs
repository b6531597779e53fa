using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using SessionGate.Chain;
using SessionGate.Protocol;
using SessionGate.Testing;

namespace SessionGate.Tests.Chain;

public sealed class DevChainTests
{
    private readonly FakeTimeProvider _clock = new(TestTime.Start);
    private readonly ChainOptions _options = new();
    private readonly DevChain _chain;

    public DevChainTests() =>
        _chain = new DevChain(_options, new InMemoryBlockStore(_options.Retention, _clock), _clock, NullLogger<DevChain>.Instance);

    [Fact]
    public async Task RunAsync_Start_ProducesBlockOneImmediately()
    {
        using var stop = new CancellationTokenSource();
        DateTimeOffset start = _clock.GetUtcNow();

        Task run = _chain.RunAsync(stop.Token);
        await Wait.UntilAsync(() => _chain.Latest is not null, "the first block is produced at start");
        await stop.CancelAsync();
        await run;

        Assert.Equal(1, _chain.Latest!.Height);
        Assert.Equal(start, _chain.Latest.Time);
    }

    [Fact]
    public async Task RunAsync_EachBlockInterval_ProducesTheNextBlock()
    {
        using var stop = new CancellationTokenSource();
        DateTimeOffset start = _clock.GetUtcNow();
        Task run = _chain.RunAsync(stop.Token);
        await Wait.UntilAsync(() => _chain.Latest is not null, "the first block is produced at start");

        for (int height = 2; height <= 4; height++)
        {
            _clock.Advance(_options.Dev.BlockInterval);
            await Wait.UntilAsync(() => _chain.Latest!.Height == height, $"block {height} is produced one interval later");
            Assert.Equal(start + (_options.Dev.BlockInterval * (height - 1)), _chain.Latest!.Time);
        }

        await stop.CancelAsync();
        await run;
    }

    [Fact]
    public async Task FindAsync_ProducedBlocks_FoundSynchronously()
    {
        BlockInfo first = await _chain.ProduceBlockAsync();
        _clock.Advance(TimeSpan.FromSeconds(5));
        BlockInfo second = await _chain.ProduceBlockAsync();

        foreach (BlockInfo block in new[] { first, second })
        {
            ValueTask<BlockLookup> lookup = _chain.FindAsync(block.Hash);
            Assert.True(lookup.IsCompletedSuccessfully);
            Assert.Equal(BlockLookup.Found(block), await lookup);
        }

        Assert.NotEqual(first.Hash, second.Hash);
    }

    [Fact]
    public async Task FindAsync_UnknownHash_UnknownImmediately()
    {
        await _chain.ProduceBlockAsync();

        ValueTask<BlockLookup> lookup = _chain.FindAsync(new Bytes32(new byte[32]));

        Assert.True(lookup.IsCompletedSuccessfully);
        Assert.Equal(BlockLookup.Unknown, await lookup);
    }

    [Fact]
    public async Task FindAsync_BlockOlderThanRetention_Unknown()
    {
        BlockInfo block = await _chain.ProduceBlockAsync();

        _clock.Advance(_options.Retention + TimeSpan.FromSeconds(1));

        Assert.Equal(BlockLookup.Unknown, await _chain.FindAsync(block.Hash));
    }

    [Fact]
    public void ComputeHash_Inputs_IsSha256OfChainIdHeightAndTicks()
    {
        var time = new DateTimeOffset(2026, 11, 21, 12, 0, 0, TimeSpan.Zero);
        byte[] input = [.. Encoding.UTF8.GetBytes("sessiongate-dev"), .. new byte[16]];
        BinaryPrimitives.WriteInt64BigEndian(input.AsSpan(15), 42);
        BinaryPrimitives.WriteInt64BigEndian(input.AsSpan(23), time.UtcTicks);

        Assert.Equal(new Bytes32(SHA256.HashData(input)), DevChain.ComputeHash("sessiongate-dev", 42, time));
    }

    [Fact]
    public async Task GetHealth_NoBlockForLongerThanHealthyBlockAge_NotHealthy()
    {
        Assert.False(_chain.GetHealth().IsHealthy);
        await _chain.ProduceBlockAsync();
        Assert.True(_chain.GetHealth().IsHealthy);

        _clock.Advance(_options.HealthyBlockAge + TimeSpan.FromSeconds(1));

        Assert.False(_chain.GetHealth().IsHealthy);
    }
}
