using Microsoft.Extensions.Logging.Abstractions;
using SessionGate.IntegrationTests.Infrastructure;
using SessionGate.Keys;
using SessionGate.Keys.Redis;
using SessionGate.Storage.Redis;
using SessionGate.Verification;
using SessionGate.Verification.Blocking;
using StackExchange.Redis;
using static SessionGate.Testing.Keys.TestKeys;

namespace SessionGate.IntegrationTests.Keys;

/// <summary>Every script of the directory and of client blocking runs on Redis Cluster (no CROSSSLOT).</summary>
public sealed class ClusterSlotTests(ClusterRedis cluster) : IClassFixture<ClusterRedis>, IAsyncLifetime
{
    private RedisConnection _connection = null!;

    private RedisServer Server => cluster.Server;

    public async Task InitializeAsync() => _connection = await cluster.Server.ConnectAsync(RedisServerFixture.NewPrefix());

    public async Task DisposeAsync() => await _connection.DisposeAsync();

    [Fact]
    public async Task Cluster_ScriptSpanningSlots_IsRefused()
    {
        // The control: the server enforces slots, so the tests below would catch a bad layout.
        // StackExchange.Redis 3.x sends the script and reports the server's CROSSSLOT refusal (1.2.6
        // refused it itself, "... single slot").
        Exception error = await Assert.ThrowsAnyAsync<Exception>(() =>
            _connection.Database.ScriptEvaluateAsync("return 1", [(RedisKey)"key:{a}", (RedisKey)"key:{b}"]));
        Assert.Contains("CROSSSLOT", error.Message, StringComparison.Ordinal);
        string reply = await ClusterRedis.CommandAsync(Server.Port, "EVAL", "return 1", "2", "key:{a}", "key:{b}");
        Assert.StartsWith("-CROSSSLOT", reply, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DirectoryScripts_OnCluster_RunWithoutCrossSlotErrors()
    {
        var directory = new RedisSignerKeyDirectory(_connection, TimeProvider.System, NullLogger<RedisSignerKeyDirectory>.Instance, new RedisSignerKeyDirectoryOptions());

        Assert.Equal(KeyRegistrationResult.Registered, await directory.RegisterAsync(Record(Key(1), Alice)));
        Assert.Equal(KeyRegistrationResult.Updated, await directory.RegisterAsync(Record(Key(1), Alice)));
        Assert.Equal(KeyRegistrationResult.OwnedByAnotherAccount, await directory.RegisterAsync(Record(Key(1), Bob)));
        Assert.Equal(KeyChangeResult.Changed, await directory.SetExpiryAsync(Key(1), NextYear.AddDays(1)));
        Assert.Equal(KeyChangeResult.Changed, await directory.DisableAsync(Key(1)));
        Assert.Equal(KeyRegistrationResult.KeyDisabled, await directory.RegisterAsync(Record(Key(1), Alice)));
        Assert.Single(await directory.ListByAccountAsync(Alice, 0, 10));

        // RegisterNew reads the account's other records by names built in the script (same {keys} slot).
        Assert.Equal(KeyRegistrationResult.Registered, await directory.RegisterNewAsync(Record(Key(2), Alice), 2));
        Assert.Equal(KeyRegistrationResult.Registered, await directory.RegisterNewAsync(Record(Key(3), Alice), 2));
        Assert.Equal(KeyRegistrationResult.TooManyKeys, await directory.RegisterNewAsync(Record(Key(4), Alice), 2));
        await directory.PollGenerationAsync(CancellationToken.None);
        Assert.Equal(6, directory.ObservedGeneration);
    }

    [Fact]
    public async Task BlockingScripts_OnCluster_RunWithoutCrossSlotErrors()
    {
        var blocker = new RedisClientBlocker(_connection, new ClientBlockingOptions { FailureThreshold = 2 }, TimeProvider.System, NullLogger<RedisClientBlocker>.Instance);

        Assert.Null(await blocker.RecordFailureAsync("10.0.0.1"));
        Assert.NotNull(await blocker.RecordFailureAsync("10.0.0.1"));
        Assert.Null(await blocker.RecordFailureAsync("}{odd client"));
        Assert.NotNull(await blocker.RecordFailureAsync("}{odd client"));
        Assert.Equal(["10.0.0.1", "}{odd client"], (await blocker.ListBlockedAsync()).Select(b => b.Client));
        Assert.True(await blocker.UnblockAsync("10.0.0.1"));
    }
}
