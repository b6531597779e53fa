using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using SessionGate.Testing;
using SessionGate.Verification;
using SessionGate.Verification.Blocking;

namespace SessionGate.Tests.Verification.Blocking;

public sealed class InMemoryClientBlockerTests
{
    private static readonly ClientBlockingOptions ThreeInTenSeconds = new()
    {
        FailureThreshold = 3,
        FailureWindow = TimeSpan.FromSeconds(10),
        BlockDuration = TimeSpan.FromMinutes(5),
        MaxTrackedClients = 1000,
    };

    private readonly FakeTimeProvider _time = new(TestTime.Start);

    [Fact]
    public async Task RecordFailureAsync_BelowThreshold_DoesNotBlock()
    {
        InMemoryClientBlocker blocker = Create(ThreeInTenSeconds);

        Assert.Null(await blocker.RecordFailureAsync("10.0.0.1"));
        Assert.Null(await blocker.RecordFailureAsync("10.0.0.1"));

        Assert.Null(await blocker.GetBlockedForAsync("10.0.0.1"));
    }

    [Fact]
    public async Task RecordFailureAsync_ThresholdReachedWithinWindow_BlocksForBlockDuration()
    {
        InMemoryClientBlocker blocker = Create(ThreeInTenSeconds);
        await blocker.RecordFailureAsync("10.0.0.1");
        _time.Advance(TimeSpan.FromSeconds(9));
        await blocker.RecordFailureAsync("10.0.0.1");

        TimeSpan? blockedFor = await blocker.RecordFailureAsync("10.0.0.1");

        Assert.Equal(TimeSpan.FromMinutes(5), blockedFor);
        Assert.Equal(TimeSpan.FromMinutes(5), await blocker.GetBlockedForAsync("10.0.0.1"));
        Assert.Null(await blocker.GetBlockedForAsync("10.0.0.2"));
    }

    [Fact]
    public async Task RecordFailureAsync_FailuresSpreadOverMoreThanWindow_DoesNotBlock()
    {
        InMemoryClientBlocker blocker = Create(ThreeInTenSeconds);
        await blocker.RecordFailureAsync("10.0.0.1");
        await blocker.RecordFailureAsync("10.0.0.1");
        _time.Advance(TimeSpan.FromSeconds(10));

        Assert.Null(await blocker.RecordFailureAsync("10.0.0.1"));
        Assert.Null(await blocker.RecordFailureAsync("10.0.0.1"));
        Assert.NotNull(await blocker.RecordFailureAsync("10.0.0.1"));
    }

    [Fact]
    public async Task GetBlockedForAsync_DuringBlock_CountsDownAndEndsAfterBlockDuration()
    {
        InMemoryClientBlocker blocker = Create(ThreeInTenSeconds);
        await FailAsync(blocker, "10.0.0.1", 3);

        _time.Advance(TimeSpan.FromMinutes(2));
        Assert.Equal(TimeSpan.FromMinutes(3), await blocker.GetBlockedForAsync("10.0.0.1"));
        _time.Advance(TimeSpan.FromMinutes(3));
        Assert.Null(await blocker.GetBlockedForAsync("10.0.0.1"));
    }

    [Fact]
    public async Task RecordFailureAsync_WhileBlocked_ReturnsTimeLeftWithoutExtending()
    {
        InMemoryClientBlocker blocker = Create(ThreeInTenSeconds);
        await FailAsync(blocker, "10.0.0.1", 3);
        _time.Advance(TimeSpan.FromMinutes(4));

        Assert.Equal(TimeSpan.FromMinutes(1), await blocker.RecordFailureAsync("10.0.0.1"));
        _time.Advance(TimeSpan.FromMinutes(1));
        Assert.Null(await blocker.GetBlockedForAsync("10.0.0.1"));
    }

    [Fact]
    public async Task RecordFailureAsync_AfterBlockEnds_CountsFromZero()
    {
        InMemoryClientBlocker blocker = Create(ThreeInTenSeconds);
        await FailAsync(blocker, "10.0.0.1", 3);
        _time.Advance(TimeSpan.FromMinutes(5));

        Assert.Null(await blocker.RecordFailureAsync("10.0.0.1"));
        Assert.Null(await blocker.RecordFailureAsync("10.0.0.1"));
        Assert.NotNull(await blocker.RecordFailureAsync("10.0.0.1"));
    }

    [Fact]
    public async Task UnblockAsync_BlockedClient_LiftsBlockAndForgetsFailures()
    {
        InMemoryClientBlocker blocker = Create(ThreeInTenSeconds);
        await FailAsync(blocker, "10.0.0.1", 3);

        Assert.True(await blocker.UnblockAsync("10.0.0.1"));

        Assert.Null(await blocker.GetBlockedForAsync("10.0.0.1"));
        Assert.Null(await blocker.RecordFailureAsync("10.0.0.1"));
        Assert.Null(await blocker.RecordFailureAsync("10.0.0.1"));
        Assert.NotNull(await blocker.RecordFailureAsync("10.0.0.1"));
    }

    [Fact]
    public async Task UnblockAsync_ClientNotBlocked_ReturnsFalseAndForgetsFailures()
    {
        InMemoryClientBlocker blocker = Create(ThreeInTenSeconds);
        await FailAsync(blocker, "10.0.0.1", 2);

        Assert.False(await blocker.UnblockAsync("10.0.0.1"));

        Assert.Null(await blocker.RecordFailureAsync("10.0.0.1"));
    }

    [Fact]
    public async Task ListBlockedAsync_SomeBlocksEnded_ListsCurrentBlocksWithTimeLeft()
    {
        InMemoryClientBlocker blocker = Create(ThreeInTenSeconds);
        await FailAsync(blocker, "10.0.0.9", 3);
        _time.Advance(TimeSpan.FromMinutes(3));
        await FailAsync(blocker, "10.0.0.2", 3);
        await FailAsync(blocker, "10.0.0.1", 3);
        await FailAsync(blocker, "10.0.0.3", 1);
        _time.Advance(TimeSpan.FromMinutes(2));

        IReadOnlyList<BlockedClient> blocked = await blocker.ListBlockedAsync();

        Assert.Equal([new BlockedClient("10.0.0.1", TimeSpan.FromMinutes(3)), new BlockedClient("10.0.0.2", TimeSpan.FromMinutes(3))], blocked);
    }

    [Fact]
    public async Task AllMethods_Disabled_AreNoOps()
    {
        InMemoryClientBlocker blocker = Create(ThreeInTenSeconds with { Enabled = false, MaxTrackedClients = 0 });

        for (int i = 0; i < 10; i++)
        {
            Assert.Null(await blocker.RecordFailureAsync("10.0.0.1"));
        }

        Assert.Null(await blocker.GetBlockedForAsync("10.0.0.1"));
        Assert.Empty(await blocker.ListBlockedAsync());
        Assert.False(await blocker.UnblockAsync("10.0.0.1"));
        Assert.Equal(0, blocker.TrackedClients);
    }

    [Theory]
    [InlineData(3)]
    [InlineData(1)]
    public async Task RecordFailureAsync_MillionDistinctClients_KeepsAtMostMaxTrackedClients(int threshold)
    {
        InMemoryClientBlocker blocker = Create(ThreeInTenSeconds with { FailureThreshold = threshold });

        for (int i = 0; i < 1_000_000; i++)
        {
            await blocker.RecordFailureAsync("client-" + i);
            if (i % 997 == 0)
            {
                Assert.True(blocker.TrackedClients <= 1000, $"{blocker.TrackedClients} clients tracked after {i + 1}");
            }
        }

        Assert.True(blocker.TrackedClients <= 1000, $"{blocker.TrackedClients} clients tracked");
        Assert.True((await blocker.ListBlockedAsync()).Count <= 1000);
    }

    [Fact]
    public async Task RecordFailureAsync_ManyThreads_BlocksAtExactlyTheThreshold()
    {
        InMemoryClientBlocker blocker = Create(ThreeInTenSeconds with { FailureThreshold = 100 });

        TimeSpan?[] results = await Task.WhenAll(Enumerable.Range(0, 100).Select(_ => Task.Run(async () => await blocker.RecordFailureAsync("10.0.0.1"))));

        Assert.Single(results, r => r is not null);
        Assert.NotNull(await blocker.GetBlockedForAsync("10.0.0.1"));
    }

    public static TheoryData<ClientBlockingOptions> InvalidOptions => new()
    {
        ThreeInTenSeconds with { FailureThreshold = 0 },
        ThreeInTenSeconds with { FailureWindow = TimeSpan.Zero },
        ThreeInTenSeconds with { BlockDuration = TimeSpan.FromSeconds(-1) },
        ThreeInTenSeconds with { MaxTrackedClients = 3 },
    };

    [Theory]
    [MemberData(nameof(InvalidOptions))]
    public void Constructor_InvalidOptions_ThrowsNamingTheSetting(ClientBlockingOptions options)
    {
        var error = Assert.Throws<ArgumentException>(() => Create(options));
        Assert.Contains("must be", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Constructor_SeveralInvalidOptions_ReportsAllAtOnce()
    {
        var error = Assert.Throws<ArgumentException>(() => Create(ThreeInTenSeconds with { FailureThreshold = 0, MaxTrackedClients = 0 }));
        Assert.Contains(nameof(ClientBlockingOptions.FailureThreshold), error.Message, StringComparison.Ordinal);
        Assert.Contains(nameof(ClientBlockingOptions.MaxTrackedClients), error.Message, StringComparison.Ordinal);
    }

    private static async Task FailAsync(IClientBlocker blocker, string client, int times)
    {
        for (int i = 0; i < times; i++)
        {
            await blocker.RecordFailureAsync(client);
        }
    }

    private InMemoryClientBlocker Create(ClientBlockingOptions options) => new(options, _time, NullLogger<InMemoryClientBlocker>.Instance);
}
