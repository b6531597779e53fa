using SessionGate.IntegrationTests.Infrastructure;
using SessionGate.Keys;
using SessionGate.Keys.Redis;
using SessionGate.Protocol;
using static SessionGate.Testing.Keys.TestKeys;

namespace SessionGate.IntegrationTests.Keys;

/// <summary>
/// The contract: a change made through any instance is honoured by every instance within one second,
/// also when the other instance had the key cached (positively or negatively), and also when pub/sub
/// messages are lost. Two instances, each with its own connection and running worker, share one Redis.
/// </summary>
public sealed class KeyChangePropagationTests(RedisServerFixture redis) : IClassFixture<RedisServerFixture>, IAsyncLifetime
{
    private static readonly TimeSpan Contract = TimeSpan.FromSeconds(1);
    private DirectoryInstance _a = null!;
    private DirectoryInstance _b = null!;

    public async Task InitializeAsync()
    {
        string prefix = RedisServerFixture.NewPrefix();
        _a = await DirectoryInstance.StartAsync(redis.Server, prefix);
        _b = await DirectoryInstance.StartAsync(redis.Server, prefix);
    }

    public async Task DisposeAsync()
    {
        await _a.DisposeAsync();
        await _b.DisposeAsync();
    }

    [Fact]
    public async Task DisableAsync_OnInstanceA_InstanceBWithKeyCachedSeesDisabledWithinOneSecond()
    {
        await _a.Directory.RegisterAsync(Record(Key(1), Alice));
        await CacheOnBAsync(Key(1), expectKnown: true);

        await _a.Directory.DisableAsync(Key(1));
        TimeSpan elapsed = await SeenByBAsync(Key(1), r => r is { Disabled: true }, "B reports the key disabled");

        Assert.True(elapsed < Contract, $"B honoured the disable after {elapsed.TotalMilliseconds} ms");
    }

    [Fact]
    public async Task RegisterAsync_OnInstanceA_InstanceBWithKeyNegativelyCachedFindsItWithinOneSecond()
    {
        await CacheOnBAsync(Key(2), expectKnown: false);

        await _a.Directory.RegisterAsync(Record(Key(2), Alice));
        TimeSpan elapsed = await SeenByBAsync(Key(2), r => r is { Account: Alice }, "B finds the newly registered key");

        Assert.True(elapsed < Contract, $"B saw the registration after {elapsed.TotalMilliseconds} ms");
    }

    [Fact]
    public async Task SetExpiryAsync_OnInstanceA_InstanceBWithKeyCachedSeesNewExpiryWithinOneSecond()
    {
        await _a.Directory.RegisterAsync(Record(Key(3), Alice));
        await CacheOnBAsync(Key(3), expectKnown: true);

        await _a.Directory.SetExpiryAsync(Key(3), NextYear.AddDays(-400));
        TimeSpan elapsed = await SeenByBAsync(Key(3), r => r?.Expires == NextYear.AddDays(-400), "B sees the new expiry");

        Assert.True(elapsed < Contract, $"B saw the expiry change after {elapsed.TotalMilliseconds} ms");
    }

    [Fact]
    public async Task RegisterAsync_UpdateOnInstanceA_InstanceBSeesNewScopesWithinOneSecond()
    {
        await _a.Directory.RegisterAsync(Record(Key(4), Alice));
        await CacheOnBAsync(Key(4), expectKnown: true);

        await _a.Directory.RegisterAsync(Record(Key(4), Alice, scopes: [new KeyScope("/read/", ["GET"])]));
        TimeSpan elapsed = await SeenByBAsync(Key(4), r => r is { Scopes.Count: 1 }, "B sees the new scopes");

        Assert.True(elapsed < Contract, $"B saw the new scopes after {elapsed.TotalMilliseconds} ms");
    }

    [Fact]
    public async Task Changes_InstanceWithoutPubSub_GenerationPollAloneHonoursThemWithinOneSecond()
    {
        // Every message lost, deterministically: this instance never subscribes; its worker only polls.
        await using DirectoryInstance deaf = await DirectoryInstance.StartAsync(
            redis.Server, _a.Connection.Options.KeyPrefix, options: new RedisSignerKeyDirectoryOptions { SubscribeToChanges = false });
        await _a.Directory.RegisterAsync(Record(Key(5), Alice));
        await CacheAsync(deaf, Key(5), expectKnown: true);
        await CacheAsync(deaf, Key(6), expectKnown: false);
        Assert.False(deaf.Directory.IsSubscribed);

        await _a.Directory.DisableAsync(Key(5));
        TimeSpan disabled = await SeenAsync(deaf, Key(5), r => r is { Disabled: true }, "the key is reported disabled without pub/sub");
        await _a.Directory.RegisterAsync(Record(Key(6), Bob));
        TimeSpan registered = await SeenAsync(deaf, Key(6), r => r is { Account: Bob }, "the new key is found without pub/sub");

        Assert.True(disabled < Contract, $"honoured the disable after {disabled.TotalMilliseconds} ms");
        Assert.True(registered < Contract, $"saw the registration after {registered.TotalMilliseconds} ms");
    }

    [Fact]
    public async Task RunAsync_SubscriptionDropped_ResubscribesAndChangesArriveByMessageAgain()
    {
        await _b.Connection.Subscriber.UnsubscribeAllAsync();
        Assert.False(_b.Directory.IsSubscribed);

        await Eventually.HoldsAsync(() => Task.FromResult(_b.Directory.IsSubscribed), TimeSpan.FromSeconds(5), "B's worker subscribes again");
        await _a.Directory.RegisterAsync(Record(Key(12), Alice));
        await Eventually.HoldsAsync(() => Task.FromResult(_b.Directory.ObservedGeneration == _a.Directory.ObservedGeneration), TimeSpan.FromSeconds(5), "B caught up");
        await CacheOnBAsync(Key(12), expectKnown: true);

        await _a.Directory.DisableAsync(Key(12));

        await SeenByBAsync(Key(12), r => r is { Disabled: true }, "B reports the key disabled");
    }

    [Fact]
    public async Task PollGenerationAsync_CounterMovedWithoutMessage_DropsCachedEntries()
    {
        // An instance without a worker, driven by hand: the poll path alone, deterministically.
        await using DirectoryInstance c = await DirectoryInstance.StartAsync(redis.Server, _a.Connection.Options.KeyPrefix, runWorker: false);
        await _a.Directory.RegisterAsync(Record(Key(7), Alice));
        await c.Directory.PollGenerationAsync(CancellationToken.None);
        Assert.False((await c.Directory.FindAsync(Key(7)))!.Disabled);
        Assert.Null(await c.Directory.FindAsync(Key(8)));

        await c.Directory.PollGenerationAsync(CancellationToken.None);
        Assert.True(c.Directory.IsCached(Key(7)), "an unchanged counter keeps the cache");
        await _a.Directory.DisableAsync(Key(7));
        await _a.Directory.RegisterAsync(Record(Key(8), Alice));
        Assert.True((await c.Directory.FindAsync(Key(7)))!.Disabled is false, "c has no subscription: still the cached answer");

        await c.Directory.PollGenerationAsync(CancellationToken.None);

        Assert.False(c.Directory.IsCached(Key(7)));
        Assert.True((await c.Directory.FindAsync(Key(7)))!.Disabled);
        Assert.NotNull(await c.Directory.FindAsync(Key(8)));
    }

    [Fact]
    public async Task DisableAsync_OnInstanceA_InstanceAItselfAnswersDisabledAtOnce()
    {
        await _a.Directory.RegisterAsync(Record(Key(9), Alice));
        Assert.False((await _a.Directory.FindAsync(Key(9)))!.Disabled);

        await _a.Directory.DisableAsync(Key(9));

        Assert.True((await _a.Directory.FindAsync(Key(9)))!.Disabled);
    }

    [Fact]
    public async Task Changes_ArriveByPubSub_InstanceBKeepsOtherCachedKeys()
    {
        await _a.Directory.RegisterAsync(Record(Key(10), Alice));
        await _a.Directory.RegisterAsync(Record(Key(11), Alice));
        await CacheOnBAsync(Key(10), expectKnown: true);
        await Eventually.HoldsAsync(
            async () => await _b.Directory.FindAsync(Key(11)) is not null && _b.Directory.ObservedGeneration == _a.Directory.ObservedGeneration,
            TimeSpan.FromSeconds(5),
            "B caught up with A");

        await _a.Directory.DisableAsync(Key(11));
        await SeenByBAsync(Key(11), r => r is { Disabled: true }, "B reports the key disabled");

        // The message advanced B's generation one step, so the poll had nothing to clear: key 10 stays cached.
        await Eventually.HoldsAsync(() => Task.FromResult(_b.Directory.ObservedGeneration == _a.Directory.ObservedGeneration), TimeSpan.FromSeconds(5), "B applied the change");
        Assert.True(_b.Directory.IsCached(Key(10)));
    }

    private Task CacheOnBAsync(Bytes32 key, bool expectKnown) => CacheAsync(_b, key, expectKnown);

    private Task<TimeSpan> SeenByBAsync(Bytes32 key, Func<SignerKeyRecord?, bool> condition, string because) => SeenAsync(_b, key, condition, because);

    private static Task CacheAsync(DirectoryInstance instance, Bytes32 key, bool expectKnown) =>
        // Read until the answer is cached (a read racing a notification is, rightly, not cached).
        Eventually.HoldsAsync(
            async () => (await instance.Directory.FindAsync(key) is not null) == expectKnown && instance.Directory.IsCached(key),
            TimeSpan.FromSeconds(5),
            "the instance caches the key");

    private static Task<TimeSpan> SeenAsync(DirectoryInstance instance, Bytes32 key, Func<SignerKeyRecord?, bool> condition, string because) =>
        Eventually.HoldsAsync(async () => condition(await instance.Directory.FindAsync(key)), TimeSpan.FromSeconds(5), because);
}
